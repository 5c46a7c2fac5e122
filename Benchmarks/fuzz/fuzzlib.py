"""Builds and runs ThingBridge's fuzz targets; `build` and `run` are its two commands.

A target is a folder of Benchmarks/fuzz/targets/ with a `*Target.swift` (the
`LLVMFuzzerTestOneInput` entry point and its properties) and a `target.txt` that says what else
it compiles and links, one item per line:

    Sources/ThingBridge/JSON/JSONParser.swift        compiled as is
    extract FILE DECLARATION [EXTENDED TYPE]        one declaration of FILE, as is (see extract.py)
    shim FILE                                        from Benchmarks/fuzz/shims/
    link MODULE...                                   package modules, from the package's debug build
    option -max_len=4096                             passed to libFuzzer

Targets are compiled with `swiftc -sanitize=fuzzer,address -parse-as-library` (Swift 6 mode,
the package's upcoming features) into .build/fuzz/NAME. A target that links package modules
imports their .swiftmodule files and links their objects from the package's own debug build,
with the module search paths SwiftPM uses for ThingBridge (read from .build/debug.yaml); a
missing module is built with `swift build --target MODULE` first.
"""
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# THINGBRIDGE_FUZZ_OUT puts binaries, corpora and findings elsewhere (e.g. to try a change
# while another run uses .build/fuzz).
OUT = os.environ.get("THINGBRIDGE_FUZZ_OUT") or os.path.join(ROOT, ".build", "fuzz")
SWIFT_FLAGS = [
    "-sanitize=fuzzer,address", "-parse-as-library", "-O", "-swift-version", "6",
    "-enable-upcoming-feature", "ExistentialAny", "-enable-upcoming-feature", "MemberImportVisibility",
]


def targets():
    return sorted(name for name in os.listdir(os.path.join(HERE, "targets")) if os.path.isfile(os.path.join(HERE, "targets", name, "target.txt")))


class Target:
    def __init__(self, name):
        self.name = name
        self.folder = os.path.join(HERE, "targets", name)
        self.sources = sorted(glob.glob(os.path.join(self.folder, "*.swift"))) + [os.path.join(HERE, "support", "FuzzSupport.swift")]
        self.extracts = []
        self.links = []
        self.options = []
        for line in open(os.path.join(self.folder, "target.txt"), encoding="utf-8"):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            word, _, rest = line.partition(" ")
            if word == "extract":
                path, declaration = rest.split(" ", 1)
                container = None
                if " in " in declaration:
                    declaration, container = declaration.rsplit(" in ", 1)
                self.extracts.append((path, declaration, container))
            elif word == "shim":
                self.sources.append(os.path.join(HERE, "shims", rest))
            elif word == "link":
                self.links += rest.split()
            elif word == "option":
                self.options.append(rest)
            else:
                self.sources.append(os.path.join(ROOT, line))
        self.binary = os.path.join(OUT, name, "fuzz-" + name)

    @property
    def module_name(self):
        return "Fuzz" + "".join(part.capitalize() for part in re.split(r"[-_]", self.name))


_package = None


def package():
    """The debug build's folder and the module search flags SwiftPM gives ThingBridge."""
    global _package
    if _package is None:
        bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
        manifest = os.path.join(ROOT, ".build", "debug.yaml")
        if not os.path.exists(manifest):
            run_swift_build("Crypto")
        flags = None
        key = '"C.ThingBridge-'
        with open(manifest, encoding="utf-8") as file:
            inside = False
            for line in file:
                if line.startswith("  " + key) and "-debug.module" in line:
                    inside = True
                elif inside and line.strip().startswith("args:"):
                    flags = json.loads(line.strip()[len("args:"):])
                    break
        if flags is None:
            sys.exit("fuzz: no ThingBridge compile command in .build/debug.yaml")
        search = []
        for index, flag in enumerate(flags):
            if flag == "-I":
                search += ["-I", flags[index + 1]]
            elif flag == "-Xcc" and index + 1 < len(flags) and flags[index + 1] != "-Xcc":
                search += ["-Xcc", flags[index + 1]]
        _package = (bin_path, search)
    return _package


def run_swift_build(module):
    print("fuzz: swift build --target %s" % module, flush=True)
    result = subprocess.run(["swift", "build", "--target", module], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-3000:] + result.stderr[-3000:])
        sys.exit("fuzz: swift build --target %s failed" % module)


def module_objects(bin_path, module):
    folder = os.path.join(bin_path, module + ".build")
    return sorted(glob.glob(os.path.join(folder, "**", "*.o"), recursive=True))


def build(target, quiet=False):
    """Compiles one target; skipped when its binary is newer than everything it is made of."""
    folder = os.path.dirname(target.binary)
    os.makedirs(folder, exist_ok=True)
    extracted = os.path.join(folder, "Extracted.swift")
    inputs = list(target.sources) + [os.path.join(target.folder, "target.txt")]
    if target.extracts:
        sys.path.insert(0, HERE)
        import extract
        text = "".join(extract.extract(os.path.join(ROOT, path), declaration, container, target.links) for path, declaration, container in target.extracts)
        inputs += [os.path.join(ROOT, path) for path, _, _ in target.extracts]
        if not os.path.exists(extracted) or open(extracted, encoding="utf-8").read() != text:
            with open(extracted, "w", encoding="utf-8") as file:
                file.write(text)
    link_flags, objects = [], []
    if target.links:
        bin_path, search = package()
        for module in target.links:
            if not module_objects(bin_path, module):
                run_swift_build(module)
            found = module_objects(bin_path, module)
            if not found:
                sys.exit("fuzz: no objects for module %s in %s" % (module, bin_path))
            objects += found
        link_flags = ["-I", os.path.join(bin_path, "Modules")] + search + ["-lstdc++"]
    sources = target.sources + ([extracted] if target.extracts else [])
    newest = max(os.path.getmtime(path) for path in inputs + sources + objects)
    if os.path.exists(target.binary) and os.path.getmtime(target.binary) > newest:
        return True
    if not quiet:
        print("fuzz: building %s" % target.name, flush=True)
    command = ["swiftc"] + SWIFT_FLAGS + ["-module-name", target.module_name] + sources + link_flags + objects + ["-o", target.binary]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    output = "\n".join(line for line in (result.stdout + result.stderr).splitlines() if "Cannot export local symbol" not in line)
    if result.returncode != 0:
        sys.stdout.write(output[-6000:] + "\n")
        print("fuzz: building %s failed" % target.name)
        return False
    return True


def fuzz(target, seconds, runs=None, extra=()):
    """Runs one target niced; returns its summary (executions, coverage, findings)."""
    folder = os.path.dirname(target.binary)
    corpus = os.path.join(folder, "corpus")
    artifacts = os.path.join(folder, "findings")
    os.makedirs(corpus, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    earlier = set(os.listdir(artifacts))
    command = ["nice", "-n", "19", target.binary, "-max_total_time=%d" % seconds, "-timeout=10", "-rss_limit_mb=2048",
               "-print_final_stats=1", "-artifact_prefix=" + artifacts + "/"]
    dictionary = os.path.join(HERE, "dict", target.name + ".dict")
    if os.path.exists(dictionary):
        command.append("-dict=" + dictionary)
    if runs:
        command.append("-runs=%d" % runs)
    command += target.options + list(extra) + [corpus]
    seeds = os.path.join(HERE, "corpus", target.name)
    if os.path.isdir(seeds):
        command.append(seeds)
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, errors="replace")
    log = result.stdout + result.stderr
    with open(os.path.join(folder, "last.log"), "w", encoding="utf-8") as file:
        file.write(log)
    summary = {"target": target.name, "status": result.returncode, "log": os.path.join(folder, "last.log")}
    executed = re.findall(r"stat::number_of_executed_units: (\d+)", log)
    summary["executions"] = int(executed[-1]) if executed else 0
    stats = re.findall(r"#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+) corp: (\d+)/", log)
    if stats:
        summary["cov"], summary["ft"], summary["corpus"] = int(stats[-1][1]), int(stats[-1][2]), int(stats[-1][3])
        summary["executions"] = summary["executions"] or int(stats[-1][0])
    rate = re.findall(r"exec/s: (\d+)", log)
    summary["exec_per_second"] = int(rate[-1]) if rate else 0
    # Only this run's; slow-unit files are reports, not findings.
    summary["findings"] = sorted(os.path.join(artifacts, name) for name in set(os.listdir(artifacts)) - earlier if not name.startswith("slow-unit-"))
    summary["messages"] = [line for line in log.splitlines()
                           if "PROPERTY VIOLATED" in line or "ERROR: AddressSanitizer" in line or "ERROR: libFuzzer" in line
                           or "ERROR: LeakSanitizer" in line or "Fatal error" in line][:5]
    if result.returncode != 0 and not summary["findings"]:
        summary["findings"] = ["(exit status %d, see %s)" % (result.returncode, summary["log"])]
    return summary


def summary_line(summary):
    return "%-18s executions %10d  cov %5s  ft %6s  corpus %5s  exec/s %6d  findings %d" % (
        summary["target"], summary["executions"], summary.get("cov", "?"), summary.get("ft", "?"), summary.get("corpus", "?"),
        summary["exec_per_second"], len(summary["findings"]))
