const MEDIA_TYPE = /^\s*([\w.+-]+\/[\w.+-]+)\s*(?:;(.*))?$/;

/** `type/subtype` in lower case without parameters; undefined when `value` is not a media type. */
export function mediaType(value: string | undefined): string | undefined {
  return value === undefined ? undefined : MEDIA_TYPE.exec(value)?.[1]?.toLowerCase();
}
