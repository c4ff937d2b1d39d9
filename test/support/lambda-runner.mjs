/**
 * Runs one bundled Lambda handler the way the Node.js runtime does, in its own process: it finds
 * the handler from `LAMBDA_TASK_ROOT` and `_HANDLER` (`index.handler` → `index.js`, `index.mjs` or
 * `index.cjs`, export `handler`), imports the module (the init), and calls
 * `handler(event, context)` once with a context like Lambda's, `getRemainingTimeInMillis`
 * included. Everything the handler logs goes to stdout and stderr as usual; the outcome is the
 * last stdout line, one JSON object with the `lambdaRunner` key:
 *
 *   {"lambdaRunner":"result","node":"v24.…","result":…}
 *   {"lambdaRunner":"error","node":"v24.…","phase":"init"|"invoke","errorType":…,"errorMessage":…,"errors":[…],"trace":[…]}
 *
 * The exit code says the same: 0 for a result, 1 for an invocation error, 2 for an init error.
 *
 * Usage: `LAMBDA_TASK_ROOT=dir _HANDLER=index.handler node lambda-runner.mjs '<event JSON>' [timeoutSeconds]`
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The extensions the Node.js runtime tries for a handler's module, in its order. */
const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'];

/** The outcome as one JSON line on stdout, then exit once it is written. */
function finish(outcome, exitCode) {
  process.stdout.write(`${JSON.stringify({ lambdaRunner: outcome.kind, node: process.version, ...outcome.body })}\n`, () => process.exit(exitCode));
}

/** An error as the runtime reports it: type, message, the errors of an AggregateError, the trace. */
function describeError(error, phase) {
  const isError = error instanceof Error;
  return {
    kind: 'error',
    body: {
      phase,
      errorType: isError ? error.name : typeof error,
      errorMessage: isError ? error.message : String(error),
      ...(error instanceof AggregateError ? { errors: error.errors.map((inner) => ({ errorType: inner?.name, errorMessage: inner?.message })) } : {}),
      trace: isError && typeof error.stack === 'string' ? error.stack.split('\n') : [],
    },
  };
}

function moduleFile(taskRoot, moduleName) {
  for (const extension of MODULE_EXTENSIONS) {
    const file = join(taskRoot, `${moduleName}${extension}`);
    if (existsSync(file)) return file;
  }
  throw Object.assign(new Error(`Cannot find module '${moduleName}' in ${taskRoot} (tried ${MODULE_EXTENSIONS.join(', ')})`), {
    name: 'Runtime.ImportModuleError',
  });
}

async function loadHandler() {
  const taskRoot = process.env.LAMBDA_TASK_ROOT;
  const handlerName = process.env._HANDLER;
  if (!taskRoot || !handlerName) throw new Error('LAMBDA_TASK_ROOT and _HANDLER must be set');
  const dot = handlerName.lastIndexOf('.');
  const moduleName = handlerName.slice(0, dot);
  const exportName = handlerName.slice(dot + 1);
  const module = await import(pathToFileURL(moduleFile(taskRoot, moduleName)).href);
  const handler = module[exportName];
  if (typeof handler !== 'function')
    throw Object.assign(new Error(`${handlerName} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return handler;
}

/** The context the runtime passes: identity from the environment, a deadline from the timeout. */
function invocationContext(timeoutSeconds) {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
  const region = process.env.AWS_REGION ?? 'eu-central-1';
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    awsRequestId: randomUUID(),
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${functionName}`,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

const event = JSON.parse(process.argv[2] ?? '{}');
const timeoutSeconds = Number(process.argv[3] ?? 3);

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  finish(describeError(error, 'init'), 2);
}
if (handler !== undefined) {
  try {
    const result = await handler(event, invocationContext(timeoutSeconds));
    finish({ kind: 'result', body: { result: result ?? null } }, 0);
  } catch (error) {
    finish(describeError(error, 'invoke'), 1);
  }
}
