"""Errors that come from what the user gave, not from the code.

The command line prints their message on one line and exits with status 2; every message
names the value at fault and how to fix it. Errors of the code itself stay ordinary
exceptions and keep their traceback.
"""


class UserError(Exception):
    """A path, file, setting or name the user gave cannot be used."""


class InputError(UserError, ValueError):
    """An input path or file cannot be read as the command needs."""


class OutputError(UserError):
    """An output folder cannot be created or written."""


class ModelNotFound(UserError):
    """No usable Spanish model is installed; the message gives the install command."""


def one_line(error: BaseException) -> str:
    """An exception's message on one line of at most 300 characters, for logs and rejects."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."
