import { describeSpan } from './span';

/** A body past its limit, refused while it streams. */
export class TooLarge extends Error {}

/** An error's code as Node, undici or AbortSignal.timeout() report it. */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError whose numeric code (23) means nothing to users.
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return String(e.name);
  if (typeof e.code === 'string') return e.code;
  if (typeof e.cause?.code === 'string') return e.cause.code;
  return typeof e.name === 'string' ? e.name : undefined;
}

/** Why a request to a server failed, for a message: "the connection was refused", … */
export function failureReason(err: unknown, timeoutMs: number): string {
  const code = errorCode(err) ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its address could not be looked up (are you offline?)';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'there is no route to it (are you offline?)';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'TimeoutError':
    case 'AbortError':
      return `it did not answer within ${describeSpan(timeoutMs)}`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
    case 'UND_ERR_CLOSED':
      return 'the connection dropped';
    default:
      return code.startsWith('ERR_TLS') || code.includes('CERT') ? 'its certificate was not accepted' : 'the connection failed';
  }
}

/** A body as text, at most `maxBytes` (TooLarge past it, or when the declared length says so first). */
export async function readCapped(body: AsyncIterable<Buffer>, maxBytes: number, declared?: string | string[]): Promise<string> {
  if (Number(declared) > maxBytes) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
