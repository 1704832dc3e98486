import pino, { type DestinationStream, type Logger } from 'pino';

/** Query parameters that carry credentials, in any dialect: their values never reach a log. */
const SECRET_PARAMS =
  /^(access_token|refresh_token|token|ticket|api_key|apikey|key|password|secret|signature)$/i;
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization'];

/** A request URL as it may be logged: the values of credential parameters replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed name is logged as sent
      }
      return eq >= 0 && SECRET_PARAMS.test(decoded) ? `${name}=[REDACTED]` : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  headers?: Record<string, unknown>;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** The server's logger: JSON lines, with credentials redacted from every logged URL and header. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        req: (request: LoggedRequest) => ({
          method: request.method,
          url: redactUrl(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
      // Headers are not logged by default; anything that logs them (or a request's raw form)
      // still shows no credential.
      redact: {
        paths: SECRET_HEADERS.flatMap((h) => [
          `req.headers["${h}"]`,
          `headers["${h}"]`,
          `request.headers["${h}"]`,
          `res.headers["${h}"]`,
        ]).concat(
          // A webhook's signing secret, should a subscription or its delivery ever be logged.
          ['secret', '*.secret', 'subscription.secret', 'delivery.secret'],
        ),
        censor: '[REDACTED]',
      },
    },
    destination,
  );
}
