// Regenerates data/tex_commands.txt from MathJax's own macro tables.
//
// Why: the math repair and the whitelist must know every command MathJax can
// render, not the handful seen in one dump.  Reading the tables MathJax parses
// with guarantees the list is complete and matches the renderer we ship.
//
// Run from the repository root:  node ext/glossary/core/gen_tex_commands.mjs
// Output lines: "<package>\t<kind>\t<name>", sorted.  <kind> is "environment",
// "symbol" (a character table entry: Greek, relations, operators, delimiters) or
// the name of the MathJax parse method of a macro ("NamedFn" for \log, "Frac",
// "Accent", "MathFont", "MacroArgs", ...), which tells the repair whether it
// takes an argument.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', '..', 'package.json'));
const texDir = join(dirname(require.resolve('@mathjax/src/package.json')), 'mjs', 'input', 'tex');

for (const pkg of readdirSync(texDir, { withFileTypes: true })) {
  if (!pkg.isDirectory()) continue;
  for (const file of readdirSync(join(texDir, pkg.name))) {
    if (file.endsWith('Configuration.js')) await import(join(texDir, pkg.name, file));
  }
}
const { ConfigurationHandler } = await import(join(texDir, 'Configuration.js'));
const { MapHandler } = await import(join(texDir, 'MapHandler.js'));

const rows = new Set();
for (const name of ConfigurationHandler.keys()) {
  const handler = ConfigurationHandler.get(name).handler;
  for (const [kind, mapNames] of Object.entries(handler)) {
    if (!['macro', 'delimiter', 'environment'].includes(kind)) continue;
    for (const mapName of mapNames) {
      const map = MapHandler.getMap(mapName);
      if (!map || !map.map) continue; // RegExp maps hold no names
      for (const [key, entry] of map.map) {
        // Delimiter maps mix characters "(" with commands "\\langle"; control
        // symbols such as "\\," are a fixed set kept in texcommands.py.
        const command = key.match(kind === 'environment' ? /^([a-zA-Z]+\*?)$/ : /^\\?([a-zA-Z]+)$/)?.[1];
        if (!command) continue;
        // "Macro" entries are TeX templates; "MacroArgs" marks those taking arguments.
        const method = entry.func?.name || 'symbol';
        const what = kind === 'environment' ? 'environment' : method === 'Macro' && entry.args?.[1] ? 'MacroArgs' : method;
        rows.add(`${name}\t${what}\t${command}`);
      }
    }
  }
}
const out = join(here, 'data', 'tex_commands.txt');
writeFileSync(out, [...rows].sort().join('\n') + '\n');
console.log(`${rows.size} rows -> ${out}`);
