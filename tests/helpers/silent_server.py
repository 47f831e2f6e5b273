"""A TCP listener that accepts connections and never says a word: to a database client it is a server that
has gone silent (a frozen machine, a half-dead LAN). The client's connect then waits for its timeout."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SilentServer:
    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.clients: list[socket.socket] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, name="silent-server", daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            with self.lock:
                self.clients.append(client)

    @property
    def accepted(self) -> int:
        with self.lock:
            return len(self.clients)

    def hang_up(self) -> None:
        """Closes every accepted connection: the waiting client fails at once."""
        with self.lock:
            for client in self.clients:
                client.close()
            self.clients.clear()

    def close(self) -> None:
        self.listener.close()
        self.hang_up()


@contextmanager
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()
