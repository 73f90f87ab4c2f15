"""jianbao: typeset Chinese government internal bulletins (简报) from YAML into DOCX and PDF."""
__version__ = "0.1.0"

from .speed import imports as _imports  # noqa: E402,F401  (before anything imports PyYAML: its slow regex compiled fast)
