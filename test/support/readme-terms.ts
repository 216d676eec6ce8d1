/**
 * The README names what the UI shows in italics (*Demo → Chaos*, *Stop the
 * tap*): e2e tests collect the page's text and check every such term is in it.
 */

/** The italic phrases of a README section, each split at "→" (a path through the UI: *Demo → Chaos*). */
export function italicTerms(readme: string, heading: string): string[] {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`the README has no section ${heading}`);
  const next = readme.indexOf('\n## ', start + heading.length);
  const section = readme.slice(start, next < 0 ? undefined : next)
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`]*`/g, '')
    .replace(/\n\s*/g, ' ');
  const terms = new Set<string>();
  for (const match of section.matchAll(/(?<![*\w])\*([^*]+?)\*(?![*\w])/g)) {
    for (const part of match[1]!.split('→')) terms.add(part.trim());
  }
  return [...terms];
}
