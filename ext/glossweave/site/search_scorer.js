// glossweave's search scorer (`html_search_scorer`, embedded in language_data.js).
//
// Sphinx finds a term page up to five times: as its index entry, its title, its
// name and each alias as objects, and its text.  Each hit is rewritten here to
// the page it is on (its title, the term's own anchor, no description), so that
// Sphinx's own duplicate removal keeps one result per page, the best-scored.
// A name or alias equal to the query scores above everything else, the name
// above an alias.  Everything runs in the page; nothing is fetched but the index.
var Scorer = {
  // Sphinx's defaults (searchtools.js)
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,

  // above any score Sphinx gives (an index entry equal to the query: 100)
  exactName: 1000,
  exactAlias: 900,

  _normalize: (text) => text.normalize("NFKC").toLocaleLowerCase().replace(/[\s\-_]+/g, " ").trim(),

  _pageTitles: null,
  _pageTitle: (docname) => {
    if (Scorer._pageTitles === null) {
      Scorer._pageTitles = new Map(Search._index.docnames.map((name, i) => [name, Search._index.titles[i]]));
    }
    return Scorer._pageTitles.get(docname);
  },

  score: (result) => {
    const [docname, title, , , score, , kind] = result;
    const query = Scorer._normalize(new URLSearchParams(window.location.search).get("q") || "");
    const pageTitle = Scorer._pageTitle(docname) || title;
    const matched = kind === "object" ? title : pageTitle;
    let best = score;
    if (query && Scorer._normalize(matched) === query) {
      best = matched === pageTitle ? Scorer.exactName : Scorer.exactAlias;
    }
    const term = docname.match(/^terms\/([^/]+)$/);
    result[1] = pageTitle;
    result[2] = term ? `#term-${term[1]}` : "";
    result[3] = null;
    return best;
  },
};
