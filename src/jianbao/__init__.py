"""jianbao: typeset Chinese government internal bulletins (简报) from YAML into DOCX and PDF."""
__version__ = "0.1.0"

from . import _yaml_regex  # noqa: E402,F401  (before anything imports PyYAML: its slow regex compiled fast)
