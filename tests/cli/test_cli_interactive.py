"""Interactive mode through a pipe and through a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time

PROMPT = "depot ==> "


def test_interactive_through_a_pipe(depot):
    script = "node create --node-type Combined romulus 127.0.0.11\n--no-color node list\nfoo\n\nnode create\nexit\nnode list\n"
    result = depot(stdin=script)
    assert result.code == 0
    assert result.out.startswith('Use "help <command>" to get help for a specific command.')
    assert "- node (n)" in result.out
    assert result.out.count(PROMPT) == 6, result.out  # the line after `exit` is never read
    assert "romulus" in result.out
    assert 'Command "foo" not known!' in result.out
    assert "Incorrect syntax. Use 'help node' for more information:" in result.err


def test_interactive_end_of_input_and_leading_program_name(depot):
    result = depot(stdin="linstor n c romulus 127.0.0.11\ndepot -m n l\n")
    assert result.code == 0
    assert '"name": "romulus"' in result.out


def test_interactive_connection_error_ends_session(depot_offline):
    from .cli_support import free_port

    result = depot_offline(stdin="node list\nnode list\n", env={"LS_CONTROLLERS": f"127.0.0.1:{free_port()}"})
    assert result.code == 20
    assert result.err.count("Unable to connect") == 1


class Terminal:
    """A child process on a pseudo-terminal (stdlib `pty`), with a small expect()."""

    def __init__(self, argv, env):
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                                        start_new_session=True)
        os.close(slave)
        self.buffer = ""

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def expect(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"did not see {text!r}; screen so far:\n{self.buffer[-2000:]}")
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"terminal closed before {text!r}:\n{self.buffer[-2000:]}")
                self.buffer += chunk.decode("utf-8", "replace")
        index = self.buffer.index(text) + len(text)
        seen, self.buffer = self.buffer[:index], self.buffer[index:]
        return seen

    def wait(self, timeout: float = 20) -> int:
        code = self.process.wait(timeout=timeout)
        os.close(self.master)
        return code


def test_interactive_pseudo_terminal_history_and_completion(depot, depot_controller, workdir):
    term = Terminal([str(depot.binary)], depot.env({"TERM": "xterm"}))
    try:
        term.expect(PROMPT)
        term.send("sto\t")  # completes to "storage-pool "
        term.expect("storage-pool ")
        term.send("l\t")  # ambiguous: the candidates are listed, the prompt redrawn
        listed = term.expect("lp")
        assert "list-properties" in listed
        term.send("\x15")  # Ctrl-U clears the line
        term.send("n c --node-type combined romulus 127.0.0.11\r")
        term.expect("SUCCESS")
        term.expect(PROMPT)
        term.send("n l\r")
        term.expect("╭─")  # a terminal gets UTF-8 frames
        term.expect("romulus")
        term.expect(PROMPT)
        term.send("\x1b[A")  # up arrow recalls "n l"
        term.expect("n l")
        term.send("\x1b[A")  # and the command before it
        term.expect("n c --node-type combined romulus 127.0.0.11")
        term.send("\x15exit\r")
        assert term.wait() == 0
    finally:
        if term.process.poll() is None:
            term.process.kill()
    history = (workdir / "home" / ".config" / "depot" / "client.history").read_text().splitlines()
    assert "n l" in history and "n c --node-type combined romulus 127.0.0.11" in history


def test_interactive_pseudo_terminal_ctrl_d_ends(depot):
    term = Terminal([str(depot.binary)], depot.env({"TERM": "xterm"}))
    term.expect(PROMPT)
    term.send("\x04")
    assert term.wait() == 0
