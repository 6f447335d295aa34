#!/usr/bin/env python3
"""A fake Anthropic Messages API on 127.0.0.1 for bench/live_concurrency.sh.

Every POST /v1/messages waits LATENCY seconds, then answers the stage it was asked for (the
forced tool's name, or the output_config schema's fields) with a valid answer. GET /stats returns
{"requests": n, "max_in_flight": m}; GET /reset returns them and starts counting again. Threaded, so in-flight requests really overlap. It stops by
itself after --max-seconds (bounded, as any load test on this machine must be).
"""
import argparse
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "classify": {"intent": "general", "confidence": 0.93, "reasoning": "a how-to question"},
    "sentiment": {"sentiment": "neutral"},
    "respond": {"response": "See the article.", "confidence": 0.9, "missing_info": None, "cited_docs": []},
    "summarize": {"summary": "The customer asked a question."},
}
FIELDS = [("intent", "classify"), ("sentiment", "sentiment"), ("response", "respond"), ("summary", "summarize")]

lock = threading.Lock()
stats = {"requests": 0, "max_in_flight": 0, "in_flight": 0}


def stage_of(body):
    name = (body.get("tool_choice") or {}).get("name")
    if name:
        return name
    props = (((body.get("output_config") or {}).get("format") or {}).get("schema") or {}).get("properties") or {}
    for field, stage in FIELDS:
        if field in props:
            return stage
    return "classify"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    latency = 0.2

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle + the client's delayed ACK
        # add ~40 ms to every response and the benchmark measures the mock, not the client.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send_json(self, obj):
        data = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("request-id", "req_bench")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock:
            out = {"requests": stats["requests"], "max_in_flight": stats["max_in_flight"]}
            if self.path.startswith("/reset"):
                stats["requests"] = stats["max_in_flight"] = 0
        self.send_json(out)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        with lock:
            stats["requests"] += 1
            stats["in_flight"] += 1
            stats["max_in_flight"] = max(stats["max_in_flight"], stats["in_flight"])
        time.sleep(self.latency)
        stage = stage_of(body)
        value = ANSWERS.get(stage, {})
        if body.get("tools"):
            content = [{"type": "tool_use", "id": "toolu_1", "name": stage, "input": value}]
        else:
            content = [{"type": "text", "text": json.dumps(value)}]
        with lock:
            stats["in_flight"] -= 1
        self.send_json({"id": "msg", "type": "message", "role": "assistant", "model": body.get("model"),
                        "content": content, "stop_reason": "tool_use",
                        "usage": {"input_tokens": 800, "output_tokens": 80}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--max-seconds", type=float, default=600)
    a = ap.parse_args()
    Handler.latency = a.latency
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    print(srv.server_address[1], flush=True)
    threading.Timer(a.max_seconds, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
