/**
 * The command loads the AWS SDK only when a run needs it (an `ssmParameter` key, `--publish`):
 * a check with keys from the environment, and `--help`, start about a third faster
 * (docs/PERFORMANCE.md, "CLI start-up").
 *
 * How: in the command's bundle every `@aws-sdk/client-*` import is replaced by a stub module whose
 * exports stand in for the real ones (a class, a command) and load the real one on first use, by
 * a synchronous `require` of a second file, cli-aws-sdk.cjs, next to the bundle. That file holds
 * exactly the SDK exports the bundle still uses after tree-shaking, found by their marker strings
 * in it. An import of a name the SDK does not export fails the build, as it would without this.
 */
import { build, type Plugin } from 'esbuild';

/** The file the stubs load, next to the command's bundle. */
export const LAZY_SDK_FILE = 'cli-aws-sdk.cjs';

/** Marks each stand-in in the bundle: `lazy-aws-sdk:<module>#<export>`. */
const MARKER = 'lazy-aws-sdk:';
const MARKER_PATTERN = /lazy-aws-sdk:(@aws-sdk\/client-[a-z0-9-]+)#([A-Za-z_$][\w$]*)/g;
const NAMESPACE = 'lazy-aws-sdk';

/**
 * The stand-in factory: a function that constructs, calls and reads through to the real export.
 * `new SSMClient(config)` returns a real client; `send(new GetParametersCommand(input))` gets a
 * real command; `instanceof` reads the real `prototype` through the stand-in, so it holds too.
 */
const RUNTIME = `
let loaded;
function real(key) {
  loaded ??= require('./${LAZY_SDK_FILE}');
  const [module, name] = key.slice(${MARKER.length}).split('#');
  return loaded[module][name];
}
export function lazyExport(key) {
  const standIn = new Proxy(function () {}, {
    // A subclass's constructor arrives as newTarget and is kept; plain \`new\` builds the real class.
    construct: (_target, args, newTarget) => Reflect.construct(real(key), args, newTarget === standIn ? real(key) : newTarget),
    apply: (_target, self, args) => Reflect.apply(real(key), self, args),
    get: (_target, property) => real(key)[property],
  });
  return standIn;
}
`;

/**
 * The esbuild plugin for the command's bundle. Each stub exports every name of its module, as
 * pure calls, so tree-shaking keeps only the ones used.
 */
export function lazyAwsSdk(): Plugin {
  return {
    name: 'lazy-aws-sdk',
    setup(builder) {
      builder.onResolve({ filter: /^@aws-sdk\/client-[a-z0-9-]+$/ }, (args) => ({ path: args.path, namespace: NAMESPACE }));
      builder.onResolve({ filter: /^lazy-aws-sdk-runtime$/ }, () => ({ path: 'runtime', namespace: NAMESPACE }));
      builder.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        if (args.path === 'runtime') return { contents: RUNTIME, loader: 'js' };
        const names = Object.keys((await import(args.path)) as Record<string, unknown>).filter((name) => name !== 'default');
        const lines = names.map((name) => `export const ${name} = /* @__PURE__ */ lazyExport(${JSON.stringify(`${MARKER}${args.path}#${name}`)});`);
        return { contents: `import { lazyExport } from 'lazy-aws-sdk-runtime';\n${lines.join('\n')}\n`, loader: 'js' };
      });
    },
  };
}

/**
 * Builds cli-aws-sdk.cjs for a command bundle: the SDK exports it uses, tree-shaken, minified.
 *
 * @param bundleText - the command's bundle, built with {@link lazyAwsSdk}
 * @param resolveDir - where the SDK packages are found (the project root)
 * @returns the file's contents
 */
export async function buildLazySdk(bundleText: string, resolveDir: string): Promise<Uint8Array> {
  const used = new Map<string, Set<string>>();
  for (const [, module, name] of bundleText.matchAll(MARKER_PATTERN)) {
    if (!used.has(module!)) used.set(module!, new Set());
    used.get(module!)!.add(name!);
  }
  const modules = [...used.entries()].sort(([a], [b]) => a.localeCompare(b));
  const contents = [
    ...modules.map(([module, names], index) => `import { ${[...names].sort().join(', ')} } from ${JSON.stringify(module)};\nconst m${index} = { ${[...names].sort().join(', ')} };`),
    `export { ${modules.map(([module], index) => `m${index} as ${JSON.stringify(module)}`).join(', ')} };`,
  ].join('\n');
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
  });
  return result.outputFiles[0]!.contents;
}
