"""A minimal WebSocket client (RFC 6455) speaking to /graphql/ws with the
graphql-transport-ws subprotocol, from a chosen loopback address."""

import base64
import hashlib
import json
import os
import socket
import struct
import time

from ..common import Failure
from .common import TIMEOUT, parse_json

WS_PROTOCOL = "graphql-transport-ws"
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class WebSocketRefused(Exception):
    def __init__(self, status, headers, body):
        super().__init__(f"{status} {body[:200]!r}")
        self.status, self.headers, self.body = status, headers, body


class WebSocket:
    """A minimal RFC 6455 client: the opening handshake, masked text frames
    out, unfragmented frames in, every read under a timeout."""

    def __init__(self, port, source="127.0.0.1", timeout=TIMEOUT):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.buffer = bytearray()
        self.pending = []          # messages read, not yet taken
        self.close_code = None     # the code of the server's close frame
        self.ended = False         # the server closed the TCP connection
        try:
            self.sock.bind((source, 0))
            self.sock.connect(("127.0.0.1", port))
            self._handshake(port)
        except BaseException:
            self.sock.close()
            raise
        self.opened_at = time.monotonic()

    def fileno(self):
        return self.sock.fileno()

    def _handshake(self, port):
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            f"GET /graphql/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {WS_PROTOCOL}\r\n\r\n").encode())
        while b"\r\n\r\n" not in self.buffer:
            self._receive(must=True)
        head, _, rest = bytes(self.buffer).partition(b"\r\n\r\n")
        self.buffer = bytearray(rest)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip()
                   for k, _, v in (line.partition(":") for line in lines[1:])}
        if status != 101:
            length = int(headers.get("content-length", "0") or 0)
            while len(self.buffer) < length and self._receive():
                pass
            raise WebSocketRefused(status, headers, bytes(self.buffer[:length]).decode("utf-8", "replace"))
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != accept:
            raise Failure("the WebSocket handshake answered a wrong Sec-WebSocket-Accept")

    def _receive(self, must=False):
        """Appends what the socket has to the buffer; False at the end of the stream."""
        data = self.sock.recv(65536)
        if not data:
            self.ended = True
            if must:
                raise ConnectionError("the server closed the connection")
            return False
        self.buffer += data
        return True

    def _send_frame(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack(">BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            header = struct.pack(">BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack(">BBQ", 0x80 | opcode, 0x80 | 127, n)
        keystream = (mask * (n // 4 + 1))[:n]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(keystream, "big")).to_bytes(n, "big")
        self.sock.sendall(header + mask + masked)

    def send_json(self, message):
        self._send_frame(0x1, json.dumps(message).encode())

    def _next_frame(self):
        """The next whole frame in the buffer as (opcode, payload), or None."""
        b = self.buffer
        if len(b) < 2:
            return None
        opcode, length, at = b[0] & 0x0F, b[1] & 0x7F, 2
        if length == 126:
            if len(b) < 4:
                return None
            length, at = struct.unpack(">H", b[2:4])[0], 4
        elif length == 127:
            if len(b) < 10:
                return None
            length, at = struct.unpack(">Q", b[2:10])[0], 10
        if b[1] & 0x80:
            raise Failure("the server sent a masked frame")
        if len(b) < at + length:
            return None
        payload = bytes(b[at:at + length])
        del b[:at + length]
        return opcode, payload

    def _read_frames(self):
        """Moves the JSON messages whole in the buffer to `pending`; a close
        frame sets close_code, a ping is answered."""
        while (frame := self._next_frame()) is not None:
            opcode, payload = frame
            if opcode == 0x1:
                self.pending.append(parse_json(payload))
            elif opcode == 0x8:
                self.close_code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
            elif opcode == 0x9:
                self._send_frame(0xA, payload)

    def messages(self):
        """Every message read so far and not yet taken."""
        self._read_frames()
        taken, self.pending = self.pending, []
        return taken

    def read_available(self):
        """Reads once (the socket is readable) and returns the messages now whole."""
        try:
            self._receive()
        except OSError:
            self.ended = True
        return self.messages()

    def next_message(self):
        """The next message, waiting for it (up to the socket's timeout)."""
        while True:
            self._read_frames()
            if self.pending:
                return self.pending.pop(0)
            if self.close_code is not None:
                raise ConnectionError(f"closed by the server with {self.close_code}")
            self._receive(must=True)

    def close(self):
        try:
            self._send_frame(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        self.sock.close()
