// The esbuild plugins of scripts/build.mjs: what the bundle changes in its dependencies to start
// fast, each with its reason and its measure. test/build/plugins.test.ts checks they keep behaviour.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

// The SDK's schema files write object keys as computed names of string constants
// (`{ [_xN]: _bC }`), which esbuild must assume may have side effects, so it keeps every shape of a
// service: 548 KB of EC2's 557 KB chunk, of which DescribeInstances needs 20. Written as the
// literal strings they are, the unused shapes are dropped like any unused constant.
export const sdkSchemaKeys = {
  name: 'sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      const strings = new Map([...text.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)].map((m) => [m[1], m[2]]));
      return { contents: text.replace(/\[(_\w+)\]:/g, (key, name) => (strings.has(name) ? `${strings.get(name)}:` : key)), loader: 'js' };
    });
  },
};

// yargs guesses a version by walking up from the script to the nearest package.json, reading each
// directory on the way (4 ms of every start), then main.ts sets the version itself. Its finder
// finds nothing here; yargs' guess is then 'unknown', replaced at once.
export const noPackageSearch = {
  name: 'no-package-search',
  setup(build) {
    build.onResolve({ filter: /^escalade\/sync$/ }, () => ({ path: 'escalade-sync', namespace: 'no-package-search' }));
    build.onLoad({ filter: /.*/, namespace: 'no-package-search' }, () => ({ contents: 'export default function findUp() { return undefined; }', loader: 'js' }));
  },
};

// How a bare package import is resolved, two changes to what npm laid out:
// - One copy per name and version. npm nests a second copy when versions clash higher up: cliui and
//   wrap-ansi each have their own string-width 7.2.0, and each copy runs its top level (an
//   Intl.Segmenter, a Unicode RegExp) at every start.
// - string-width answers printable ASCII itself, and is loaded on the first text that is not.
//   `--help` measures every cell of its table with it, splitting each string into graphemes and
//   matching an emoji RegExp, and its two versions build an Intl.Segmenter and a Unicode RegExp as
//   they load: half of what --help cost beyond starting Node. Printable ASCII, which all our help
//   is, is a column a character.
export const packages = {
  name: 'packages',
  setup(build) {
    const first = new Map();
    build.onResolve({ filter: /^(@[^/]+\/)?[^./][^/]*$/ }, async (args) => {
      if (args.pluginData?.inner) return undefined;
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
      const root = found.path.lastIndexOf(`/node_modules/${args.path}/`);
      if (found.errors.length > 0 || found.external || root < 0 || found.namespace !== 'file') return undefined;
      const packageDir = found.path.slice(0, root + `/node_modules/${args.path}/`.length);
      const { version } = JSON.parse(await readFile(`${packageDir}package.json`, 'utf8'));
      const key = `${args.path}@${version}:${found.path.slice(packageDir.length)}`;
      if (!first.has(key)) first.set(key, found.path);
      const path = first.get(key);
      return args.path === 'string-width' && args.kind === 'import-statement' ? { path, namespace: 'ascii-width-first' } : { path };
    });
    build.onLoad({ filter: /.*/, namespace: 'ascii-width-first' }, ({ path }) => ({
      // Loaded by require(), so that esbuild runs its top level only on the first text that is not.
      contents: [
        'const PRINTABLE_ASCII = /^[\\x20-\\x7e]*$/;',
        'let stringWidth;',
        'export default function width(text, options) {',
        '  if (typeof text === "string" && PRINTABLE_ASCII.test(text)) return text.length;',
        `  stringWidth ??= require(${JSON.stringify(path)}).default;`,
        '  return stringWidth(text, options);',
        '}',
      ].join('\n'),
      loader: 'js',
      resolveDir: dirname(path),
    }));
  },
};
