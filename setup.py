"""The message catalogues are compiled when the package is built or installed (pyproject.toml holds the rest)."""
import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class build_py_with_catalogues(build_py):
    """po/zh_CN/*.po -> jianbao/locale/zh_CN/LC_MESSAGES/jianbao.mo, in the built package and, for an editable
    install (whose package is src/jianbao itself), in the source tree."""

    def run(self):
        super().run()
        spec = importlib.util.spec_from_file_location("jianbao_catalogue", HERE / "scripts" / "catalogue.py")
        catalogue = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogue)
        relative = catalogue.MO_PATH.relative_to(HERE / "src")
        if self.editable_mode:
            catalogue.compile_mo(catalogue.MO_PATH)
        else:
            catalogue.compile_mo(Path(self.build_lib) / relative)


setup(cmdclass={"build_py": build_py_with_catalogues})
