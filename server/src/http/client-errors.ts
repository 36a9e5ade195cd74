import type { Server } from "node:http";
import { STATUS_CODES } from "node:http";

/**
 * Requests Node's HTTP parser refuses before Express sees them (a URL or headers over the size
 * limit, malformed request lines) get a problem document like every other error, instead of
 * Node's bare status line.
 */
export function answerClientErrors(server: Server): void {
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    const title = STATUS_CODES[status] ?? "Bad Request";
    const body = JSON.stringify({
      type: `https://leeway.example/problems/${status === 431 ? "headers-too-large" : status === 408 ? "request-timeout" : "bad-request"}`,
      title,
      status,
      detail: status === 431 ? "The request line or headers are larger than the server accepts; send long filters in fewer, shorter parameters." : "The request could not be read.",
      // Every 400 lists what is wrong, as the contract has it; here it is the request as a whole.
      ...(status === 400 ? { errors: [{ path: "", message: "The request line or headers are not well-formed HTTP." }] } : {}),
    });
    socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
