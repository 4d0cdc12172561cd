/**
 * Domain typos in email addresses (gmial.com, example.con), from a maintained suggestion library
 * (@zootools/email-spell-checker, a maintained fork of mailcheck) and IANA's list of top-level
 * domains (tlds). The library's defaults are tuned for "did you mean" hints in a sign-up form;
 * here a suggestion makes the row invalid, so they are narrowed to avoid flagging real domains:
 * - a top-level domain is only questioned when it is not a real one (`.con`, not `.cm` or `.co`);
 * - whole-domain and second-level suggestions need an edit distance of 1 (a transposition counts
 *   as one) and a second-level label of at least 4 characters (`ibm.com` is not `aim.com`);
 * - second-level candidates shorter than 5 characters (`mail`, `live`) are left out (`email.de`).
 */
import { POPULAR_DOMAINS, POPULAR_TLDS, run } from '@zootools/email-spell-checker';
import { DEFAULT_CONFIG } from '@zootools/email-spell-checker/dist/lib/config';
import ianaTlds from 'tlds';

const REAL_TLDS: ReadonlySet<string> = new Set(ianaTlds);
const SECOND_LEVEL = DEFAULT_CONFIG.secondLevelDomains.filter((d) => d.length >= 5);

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (gmial → gmail is 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (d[(i - 1) * cols + j] as number) + 1,
        (d[i * cols + j - 1] as number) + 1,
        (d[(i - 1) * cols + j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (d[(i - 2) * cols + j - 2] as number) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1] as number;
}

/** Only distances of 0 and 1 matter here: strings whose lengths differ by more are 2 apart or more. */
const distanceUpToOne = (a: string, b: string) =>
  Math.abs(a.length - b.length) > 1 ? 2 : editDistance(a, b);

function suggestFor(domain: string): string | undefined {
  const labels = domain.split('.');
  const firstLabel = labels[0] ?? '';
  const lastLabel = labels.at(-1) ?? '';
  const fuzzyNames = firstLabel.length >= 4;
  const suggestion = run({
    email: `x@${domain}`,
    domains: fuzzyNames ? POPULAR_DOMAINS : [],
    secondLevelDomains: fuzzyNames ? SECOND_LEVEL : [],
    topLevelDomains: REAL_TLDS.has(lastLabel) ? [] : POPULAR_TLDS,
    domainThreshold: 1,
    secondLevelThreshold: 1,
    topLevelThreshold: 1,
    distanceFunction: distanceUpToOne,
  });
  return suggestion && suggestion.domain !== domain ? suggestion.domain : undefined;
}

// Files repeat their domains (a company's, the big mail providers): each is looked at once.
const CACHE_LIMIT = 20_000;
const cache = new Map<string, string | null>();

/** The domain the address was most likely meant to have, or undefined when it looks right. */
export function suggestEmailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  const domain = email.slice(at + 1).toLowerCase();
  let known = cache.get(domain);
  if (known === undefined) {
    known = suggestFor(domain) ?? null;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(domain, known);
  }
  return known ?? undefined;
}
