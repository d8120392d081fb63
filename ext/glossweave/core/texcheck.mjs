// Validates a batch of TeX formulas with MathJax 4, one process per batch.
//
// Why: MathJax (and KaTeX) normally hide errors and render unknown words as
// letters, so a formula can be silently wrong.  Here the `noerrors` and
// `noundefined` packages are left out and `formatError` throws, so "Undefined
// control sequence", "Missing close brace" and the like come back per formula.
//
// stdin:  {"packages": ["base", ...], "formulas": [{"tex": "...", "display": false}, ...]}
// stdout: a JSON array with, per formula, the error message or null.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mathjax } from '@mathjax/src/js/mathjax.js';
import { TeX } from '@mathjax/src/js/input/tex.js';
import { liteAdaptor } from '@mathjax/src/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from '@mathjax/src/js/handlers/html.js';
import { STATE } from '@mathjax/src/js/core/MathItem.js';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { packages, formulas } = JSON.parse(Buffer.concat(chunks).toString('utf8'));

// Each package directory holds one *Configuration.js that registers it.
const texDir = join(dirname(createRequire(import.meta.url).resolve('@mathjax/src/package.json')), 'mjs', 'input', 'tex');
for (const pkg of packages) {
  const config = readdirSync(join(texDir, pkg)).find((file) => file.endsWith('Configuration.js'));
  await import(join(texDir, pkg, config));
}

RegisterHTMLHandler(liteAdaptor());
const tex = new TeX({
  packages,
  formatError: (jax, err) => {
    throw err;
  },
});
const doc = mathjax.document('', { InputJax: tex });

const results = formulas.map(({ tex: source, display }) => {
  try {
    doc.convert(source, { display, end: STATE.CONVERT });
    return null;
  } catch (err) {
    return String(err.message ?? err);
  }
});
process.stdout.write(JSON.stringify(results));
