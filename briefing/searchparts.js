/* The search index in parts, answering as one whole index would. Written to
   output/pagefind/pagefind.js by the build (searchindex.place); search.js points
   PagefindUI's bundlePath at it and hands it every part with mergeIndex. It exports
   what PagefindUI calls of a pagefind.js: options, mergeIndex, init, search,
   debouncedSearch, preload, filters, destroy.

   Why not Pagefind's own mergeIndex: Pagefind 1.5.2 matches a query word as a prefix
   of the index's words, and when an index has no word starting with it, it falls back
   to the longest word in it that the query word starts with ("bakust" finds "bakus",
   "argentinas" finds "a"). One whole index falls back only when no page of the site
   has the word; each part falls back on its own, so merged parts listed near matches
   from the parts without the word.

   So each part is searched on its own (one Pagefind, one WebAssembly module: the parts
   are Pagefind's merged instances, pagefind-engine.js is Pagefind's pagefind.js with its
   Pagefind class exported), in Pagefind's playground mode, which names the index word
   behind each match. For every query word, each part's match is ranked: a word that
   starts with the query word beats a fallback, a longer fallback beats a shorter one,
   any match beats none. One whole index would match the best of these, so a part's
   answer is kept only if it matched every query word at the best rank; the others
   would have had no page in the whole index's answer, and add nothing, to the results
   or to the filter counts. Quoted (exact) searches never fall back and are merged as
   they are. */
import { Pagefind } from "./pagefind-engine.js";

const FULL = Infinity;      // the part has words that start with the query word
const NONE = -1;            // the part matches nothing for it (then Pagefind ignores the word)
const REMEMBERED = 200;     // query words whose ranks are kept while typing

let settings = {};
let bundles = [];
let engine = null;
let searchID = 0;
let ranks = new Map();

function own(given) {
  const { basePath, bundlePath, language, ...rest } = given || {};
  return rest;
}

function start() {
  if (!engine) {
    const [first, ...others] = bundles;
    if (!first) throw new Error("The search index has no parts: call mergeIndex for each part first.");
    engine = (async () => {
      const pagefind = new Pagefind({ ...settings, ...first.options, basePath: first.path });
      for (const { path, options } of others) await pagefind.mergeIndex(path, { ...settings, ...options });
      for (const part of pagefind.instances) await part.enterPlaygroundMode();
      return pagefind;
    })();
  }
  return engine;
}

export async function options(given) {
  settings = { ...settings, ...own(given) };
  if (engine) for (const part of (await engine).instances) await part.options(own(given));
}

export async function mergeIndex(path, given = {}) {
  if (engine) throw new Error("Merge every part before the first search.");
  bundles.push({ path, options: own(given) });
}

export async function init() {
  await start();
}

// How well a part matches one query word, searched alone and unfiltered (a filter or
// another word may leave a part no page while its words still decide what the whole
// index matches): FULL, the length of its fallback word, or NONE.
async function rank(part, word) {
  return rankOf(await part.search(word));
}

function rankOf(found) {
  const stem = (found.search_keywords || [])[0];
  let best = NONE;
  for (const result of found.results) {
    for (const score of result.scores || []) {
      const key = score.search_term || "";
      if (stem === undefined || key.length >= stem.length || !stem.startsWith(key)) return FULL;
      best = Math.max(best, key.length);
    }
  }
  return best;
}

async function ranksOf(parts, word) {
  if (!ranks.has(word)) {
    if (ranks.size >= REMEMBERED) ranks = new Map();
    ranks.set(word, Promise.all(parts.map((part) => rank(part, word))));
  }
  return ranks.get(word);
}

// Which parts' answers one whole index would have given: true for each part kept.
async function kept(parts, term) {
  const keep = parts.map(() => true);
  if (typeof term !== "string" || /^\s*".+"\s*$/.test(term)) return keep;
  for (const word of new Set(term.trim().split(/\s+/).filter(Boolean))) {
    const seen = await ranksOf(parts, word);
    const best = Math.max(...seen);
    seen.forEach((seenRank, i) => { if (seenRank !== best) keep[i] = false; });
  }
  return keep;
}

// Filter counts summed over the kept parts (a value only the others have shows 0), in
// the sorted order one whole index lists them in.
function addCounts(counts, keep) {
  const merged = {};
  counts.forEach((filters, i) => {
    for (const [name, values] of Object.entries(filters || {})) {
      const into = (merged[name] = merged[name] || {});
      for (const [value, count] of Object.entries(values)) {
        into[value] = (into[value] || 0) + (keep[i] ? count : 0);
      }
    }
  });
  return sorted(merged, (values) => sorted(values, (count) => count));
}

function sorted(object, each) {
  const out = {};
  for (const key of Object.keys(object).sort()) out[key] = each(object[key]);
  return out;
}

export async function search(term, given = {}) {
  const pagefind = await start();
  const parts = pagefind.instances;
  const answers = await Promise.all(parts.map((part) => part.search(term, given)));
  // One word, unfiltered: its answers are the ones rank() would search for again.
  const filtered = Object.values(given.filters || {}).some((values) => [].concat(values).length);
  const word = typeof term === "string" ? term.trim() : "";
  if (word && !/\s/.test(word) && !filtered && !ranks.has(word)) ranks.set(word, Promise.resolve(answers.map(rankOf)));
  const keep = await kept(parts, term);
  const response = {
    results: answers.flatMap((answer, i) => (keep[i] ? answer.results : [])).sort((a, b) => b.score - a.score),
    unfilteredResultCount: answers.reduce((sum, answer, i) => sum + (keep[i] ? answer.unfilteredResultCount : 0), 0),
    filters: addCounts(answers.map((answer) => answer.filters), keep),
    totalFilters: addCounts(answers.map((answer) => answer.totalFilters), keep),
    timings: answers.map((answer) => answer.timings),
  };
  if (answers[0] && answers[0].search_keywords) response.search_keywords = answers[0].search_keywords;
  return response;
}

export async function debouncedSearch(term, given, debounceTimeoutMs = 300) {
  const thisSearch = ++searchID;
  preload(term, given);
  await new Promise((resolve) => setTimeout(resolve, debounceTimeoutMs));
  if (thisSearch !== searchID) return null;
  const found = await search(term, given);
  return thisSearch === searchID ? found : null;
}

export async function preload(term, given = {}) {
  await (await start()).preload(term, given);
}

export async function filters() {
  const pagefind = await start();
  return addCounts(await Promise.all(pagefind.instances.map((part) => part.filters())),
                   pagefind.instances.map(() => true));
}

export async function destroy() {
  engine = null;
  bundles = [];
  settings = {};
  ranks = new Map();
}
