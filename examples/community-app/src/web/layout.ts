import { escapeHtml } from '../http.js';

/** A server-rendered page with the app's stylesheet, for the flows that must work without the script. */
export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Community app</title>
<link rel="stylesheet" href="/app.css">
<link rel="stylesheet" href="/forms.css">
<link rel="stylesheet" href="/people.css">
<link rel="stylesheet" href="/chat.css">
</head>
<body>
<header class="topbar"><a class="brand" href="/"><span class="brand-mark" aria-hidden="true">◎</span> Community</a></header>
<main class="page"><section class="card narrow">${body}</section></main>
</body>
</html>
`;
}
