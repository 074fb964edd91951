"""No module of the project changes a class of Wagtail or Django when it is imported: an override
is a subclass mounted in a URLconf or registered through a hook, which an upgrade cannot
silently undo. (The layers and import cycles are checked by import-linter in `make lint`.)"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hub", "infra", "search", "sites", "blog", "comments")
FRAMEWORKS = ("wagtail", "django", "modelcluster", "taggit", "wagtail_localize")


def imported_framework_names(tree):
    """Names bound at module level to something imported from a framework."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in FRAMEWORKS:
                names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FRAMEWORKS:
                    names.add((alias.asname or alias.name).split(".")[0])
    return names


def base_name(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def patches(source, filename="<source>"):
    """Module-level assignments (or setattr calls) to an attribute of an imported framework name."""
    tree = ast.parse(source, filename)
    framework = imported_framework_names(tree)
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and node.args
        ):
            targets = [ast.Attribute(value=node.args[0], attr="?")]
        for target in targets:
            if isinstance(target, ast.Attribute) and base_name(target) in framework:
                found.append(f"{filename}:{node.lineno}: {ast.unparse(target)}")
    return found


def test_the_check_finds_a_patch_of_a_wagtail_class():
    source = (
        "from wagtail.admin.views.chooser import ChosenMultipleView\n"
        "from wagtail.admin.views.pages import workflow\n"
        "ChosenMultipleView.get = lambda self, request: None\n"
        "workflow.WorkflowPageViewMixin.dispatch = None\n"
        "setattr(workflow.WorkflowPageViewMixin, 'dispatch', None)\n"
        "own = object()\n"
        "own.x = 1\n"
    )
    assert len(patches(source)) == 3


def test_no_module_patches_a_framework_class():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found += patches(path.read_text(), str(path.relative_to(ROOT)))
    assert found == []
