/** An image change longer than this shows the new tag alone when the repository stays. */
const IMAGE_CHANGE_CHARS = 100;

/**
 * `api:1.4→api:1.5`; when that is long and only the tag or digest moved,
 * `registry.example.com/team/api:1.4→1.5`. Images are never cut: they are what people look for.
 */
export function imageChange(before: string, after: string): string {
  const full = `${before}→${after}`;
  if (full.length <= IMAGE_CHANGE_CHARS) return full;
  const old = splitImage(before);
  const now = splitImage(after);
  return old.repository === now.repository && now.version !== '' ? `${before}→${now.version.slice(1)}` : full;
}

/** Repository and `:tag` or `@digest` of an image reference (a registry port is no tag). */
function splitImage(image: string): { repository: string; version: string } {
  const at = image.indexOf('@');
  if (at !== -1) return { repository: image.slice(0, at), version: image.slice(at) };
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/')
    ? { repository: image.slice(0, colon), version: image.slice(colon) }
    : { repository: image, version: '' };
}
