"""The serve command's decisions that need no web server: token, Host, Origin, title, errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import tuireader.serve
from tuireader import cli
from tuireader.serve.command import INSTALL_HINT, page_title
from tuireader.serve.mode import WEB_DRIVER, enter_served_mode, served_in_browser
from tuireader.serve.security import Guard, choose_token, is_loopback, origin_of, url_with_token


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("reader.example", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    """Only loopback addresses and the name localhost count as loopback."""
    assert is_loopback(host) is loopback


def test_token_is_required_off_loopback() -> None:
    """No token on loopback unless given; any other address gets a fresh random one."""
    assert choose_token("127.0.0.1", None) is None
    assert choose_token("127.0.0.1", "given-token") == "given-token"
    first, second = choose_token("0.0.0.0", None), choose_token("0.0.0.0", None)
    assert first and second and first != second and len(first) >= 24


def test_guard_token_and_host() -> None:
    """A guard with a token needs it (from any one source); without one, only loopback hosts."""
    guarded = Guard("s3cret-token", 8000)
    assert guarded.token_ok(None, "s3cret-token") and guarded.token_ok("s3cret-token", None)
    assert not guarded.token_ok(None, None)
    assert not guarded.token_ok("s3cret-token-and-more", "s3cret")
    assert guarded.host_ok("192.168.1.10:8000")
    open_guard = Guard(None, 8000, "https://reader.example/")
    assert open_guard.token_ok(None)
    assert open_guard.host_ok("127.0.0.1:8000") and open_guard.host_ok("[::1]:8000")
    assert open_guard.host_ok("reader.example")
    assert not open_guard.host_ok("evil.example:8000")


def test_guard_origin() -> None:
    """The websocket's Origin must be the host as reached or the public URL."""
    guard = Guard(None, 8000, "https://reader.example")
    assert guard.origin_ok("http://127.0.0.1:8000", "http", "127.0.0.1:8000")
    assert guard.origin_ok("https://reader.example", "http", "127.0.0.1:8000")
    assert guard.origin_ok(None, "http", "127.0.0.1:8000")
    assert not guard.origin_ok("http://evil.example", "http", "127.0.0.1:8000")
    assert not guard.origin_ok("http://127.0.0.1:9000", "http", "127.0.0.1:8000")
    assert not guard.origin_ok("null", "http", "127.0.0.1:8000")
    assert origin_of("HTTPS://Reader.Example:443/path") == "https://reader.example"


def test_url_with_token() -> None:
    """The printed URL carries the token (quoted) only when one is required."""
    assert url_with_token("http://host:8000", None) == "http://host:8000/"
    assert url_with_token("http://host:8000/", "a b/c") == "http://host:8000/?token=a%20b%2Fc"


def test_page_title(tmp_path: Path, seed_article: Path) -> None:
    """One file: its title, controls stripped; a folder or several paths: the program's name."""
    assert page_title([seed_article]).startswith("General Sorkin's Admiration")
    odd = tmp_path / "odd.md"
    odd.write_text('---\ntitle: "Bad\\e[31m red\\x07 title"\n---\n\ntext\n', encoding="utf-8")
    assert "\x1b" not in page_title([odd]) and "red" in page_title([odd])
    assert page_title([tmp_path]) == "tuireader"
    assert page_title([seed_article, odd]) == "tuireader"


def test_serve_without_the_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without textual-serve installed: one line naming the extra, exit 2."""
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.delitem(sys.modules, "tuireader.serve.server", raising=False)
    monkeypatch.delattr(tuireader.serve, "server", raising=False)  # else `from` finds it
    assert cli.main(["serve"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "pip install 'tuireader[serve]'" in error
    assert INSTALL_HINT in error


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "/no/such/place"], "no such file or directory"),
        (["serve", "--token", "short"], "at least 8 characters"),
        (["serve", "--port", "70000"], "not a port number"),
        (["serve", "--public-url", "reader.example"], "must start with http"),
    ],
)
def test_serve_bad_arguments(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad arguments: one line on stderr, exit 2, nothing served."""
    pytest.importorskip("textual_serve")
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_served_mode_keeps_stdout_for_the_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the web driver, print() goes to stderr: stdout carries only the driver's packets."""
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert not served_in_browser() and not enter_served_mode()
    monkeypatch.setenv("TEXTUAL_DRIVER", WEB_DRIVER)
    monkeypatch.setattr(sys, "stdout", sys.stdout)
    assert enter_served_mode()
    assert sys.stdout is sys.stderr
