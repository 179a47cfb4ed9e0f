import { type Env, runCommand } from '@switchyard/migrate';

/** One `switchyard` command run through its programmatic entry, as an operator (or CI) would run the bin. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The JSON the command printed with --json. */
  json<T = Record<string, unknown>>(): T;
}

export async function switchyard(env: Env, ...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(argv, {
    env,
    stdout: (text) => {
      stdout += `${text}\n`;
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
      isTTY: false,
    },
  });
  return {
    code,
    stdout,
    stderr,
    json: <T>() => {
      if (!stdout.trim()) throw new Error(`switchyard ${argv.join(' ')} printed nothing (exit ${code}): ${stderr}`);
      return JSON.parse(stdout) as T;
    },
  };
}
