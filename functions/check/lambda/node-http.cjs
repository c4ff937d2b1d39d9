/* eslint-disable @typescript-eslint/no-require-imports -- the point of this file is a CommonJS require */
/**
 * `node:http` for the Lambda bundle, loaded with `require` rather than `import`.
 *
 * Why: from Node.js 22 on, `node:http` exports `WebSocket`, `CloseEvent` and `MessageEvent`
 * through getters that load Node's built-in undici. An ESM `import` of `node:http` reads every
 * export to build the module namespace, so it runs those getters and loads code the function
 * never uses (nodejs/node#57649, #59686): in the bundle on Node 24 (the Lambda runtime), about
 * 3-11 ms of load and 2 MB of RSS (docs/PERFORMANCE.md). `require` returns the module without
 * reading its exports.
 *
 * The construct aliases `node:http` to this file (esbuild `--alias`), so the AWS SDK's imports
 * of it, static and dynamic, come here; the bare `http` below is not aliased, so the real module
 * is loaded, through the bundle's `require` banner.
 */
module.exports = require('http');
