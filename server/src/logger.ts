import pino, { type DestinationStream, type Logger } from "pino";

/** One logger for the server. Tokens, secrets and cookies never reach the log. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "leeway" },
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "res.headers[\"set-cookie\"]",
        "*.access_token",
        "*.id_token",
        "*.refresh_token",
        "*.client_secret",
        "*.password",
        "*.assertion",
        "*.token",
        "*.secret",
        "*.privateKey",
      ],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
