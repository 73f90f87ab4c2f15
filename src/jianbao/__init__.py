"""jianbao: typeset Chinese government internal bulletins (简报) from YAML into DOCX and PDF."""
__version__ = "0.1.0"
