// Preload (`node --import`) that logs every module URL the program resolves, one per
// line, to the file named by $VKR_TRACE_LOADS: shows what a code path really loads.
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.VKR_TRACE_LOADS)}, result.url + '\\n');
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
