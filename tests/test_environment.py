"""The environment files agree: environment.yml pins what requirements.lock pins."""

import re
import tomllib

import yaml

from compendium.paths import ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.M)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    return {canonical(n): v for n, v in PIN.findall((ROOT / "requirements.lock").read_text())}


def test_every_lock_line_is_an_exact_pin_with_hashes():
    text = (ROOT / "requirements.lock").read_text()
    requirements = [line for line in text.splitlines() if line and line[0].isalnum()]
    assert requirements and all("==" in line for line in requirements)
    assert text.count("--hash=sha256:") >= len(requirements)


def test_environment_yml_uses_python_311_installs_the_package_and_matches_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e ." in pip
    pins = lock_pins()
    pinned = dict(PIN.findall("\n".join(pip)))
    assert pinned, "environment.yml pins nothing"
    for name, version in pinned.items():
        assert pins.get(canonical(name)) == version, f"{name}=={version} differs from the lock"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + project["optional-dependencies"]["test"]
    assert {canonical(d) for d in direct} <= {canonical(n) for n in pinned}


def test_every_dependency_of_the_package_is_in_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = lock_pins()
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert canonical(re.split(r"[<>=!~ \[]", requirement)[0]) in pins, requirement
