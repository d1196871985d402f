"""The OS layer of the sandbox: the part of it that holds even when the attempt owns its interpreter.

Three kinds, chosen once per process (``os_layer()``), the first that works:

``namespaces``
    The sandbox of ``bubblewrap`` below (the same ``sandbox_mounts``), built by grade itself in a
    child forked from a zygote that has imported numpy (``forkserver``, ``zygote.py``): a worker then
    costs a fork, not a fresh interpreter. Needs what bubblewrap needs (user namespaces), not bwrap.
``bubblewrap``
    Namespaces (mount, PID, network, IPC, UTS, user) with every capability dropped, uid 65534 inside,
    nested user namespaces disabled, a new terminal session. The worker sees the system libraries,
    the interpreter, the standard library and numpy's own directories, read-only; a size-limited
    tmpfs for its scratch, ``/tmp`` and ``/dev/shm``; nothing else (no project, no other
    site-packages, so cv2 or torch do not exist for it).
``unprivileged-uid``
    Where bubblewrap cannot work (not installed, or user namespaces forbidden, as under Docker's
    default seccomp profile) and the grader is root: the worker is started as a uid of its own
    (65534 and below, one per concurrent worker) with no capabilities and no supplementary groups.
    Class mode checks that this uid can read neither the references nor the grader nor the other
    submissions, and cannot write the results (``class_mode_problem``).

Both add a seccomp filter (``seccomp_filter``) that the worker loads before importing the attempt:
no new process (threads only), none of the kernel interfaces an answer never needs.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import sysconfig
import tempfile
import threading
from glob import glob
from pathlib import Path

from grader.record.vocabulary import NO_OS_LAYER  # noqa: F401  (a layer's name, like the others)
from grader.sandbox import forkserver

OS_SANDBOX_ENV = forkserver.OS_SANDBOX_ENV
NAMESPACES, BUBBLEWRAP, UNPRIVILEGED_UID = "namespaces", "bubblewrap", "unprivileged-uid"
OS_LAYERS = (NAMESPACES, BUBBLEWRAP, UNPRIVILEGED_UID)
#: The layers that give the worker a mount namespace of its own (sandbox_mounts is all it sees).
MOUNT_NAMESPACE_LAYERS = (NAMESPACES, BUBBLEWRAP)
#: Marks a record whose forked workers ran as a uid of their own outside their namespaces.
UID_OF_ITS_OWN = "uid-of-its-own"

#: Writable space of a sandboxed worker (tmpfs, so memory the address-space limit does not count).
SCRATCH_BYTES = 32 * 1024 * 1024
TMP_BYTES = 8 * 1024 * 1024
#: The uid inside bubblewrap, and the first of the fallback's uids (one per concurrent worker, counting
#: down, so that two students' workers cannot signal or trace each other).
NOBODY = 65534
MAX_FALLBACK_WORKERS = 256

HOW_TO_GET_IT = ("install bubblewrap (apt-get install bubblewrap) in a machine or container that allows "
                 "user namespaces, or run the grader as root so that attempts run as an unprivileged uid")


_mode = forkserver.sandbox_mode


def worker_env(scratch: str) -> dict[str, str]:
    """The whole environment of a worker whose home and temporary directory are ``scratch``."""
    return dict(forkserver.base_env(), HOME=scratch, TMPDIR=scratch)


# -- grade's own namespaces (the zygote) -------------------------------------------------------

WORKER_FILE = forkserver.DEFAULT_WORKER


def zygote(worker_file: Path = WORKER_FILE) -> forkserver.Zygote:
    """The zygote that forks workers running ``worker_file`` (started on first use)."""
    return forkserver.zygote_for(worker_file)


_probing = threading.Lock()


def namespaces_status() -> tuple[bool, str]:
    """(True, "") when the zygote can fork workers into namespaces of their own here, else (False, why)."""
    with _probing:  # once, though the early start and the first grading may ask at the same time
        return _namespaces_probe()


@functools.lru_cache(maxsize=1)
def _namespaces_probe() -> tuple[bool, str]:
    if not forkserver.wanted():
        if _mode():
            return False, f"{OS_SANDBOX_ENV}={_mode()}"
        return False, f"grade's own namespaces are not built for {os.uname().machine}"
    _own_uid.clear()
    probe = functools.partial(forkserver.probe, zygote(), mounts=sandbox_mounts(), env=worker_env("/tmp"),
                              scratch_bytes=SCRATCH_BYTES)
    if os.geteuid() == 0:
        # A root grader's attempts get a uid of their own outside too (not root), where the kernel
        # can attach trees cloned as root (open_tree, move_mount: Linux 5.2 and later).
        uid = take_uid(FORKED_UIDS)
        try:
            works, why = probe(host_uid=uid)
        finally:
            release_uid(uid)
        if works:
            _own_uid.add(True)
            return works, why
    return probe()


#: Holds True when the probe found that forked workers can run as a uid of their own outside.
_own_uid: set[bool] = set()


namespaces_status.cache_clear = _namespaces_probe.cache_clear


def namespaces() -> bool:
    return namespaces_status()[0]


def namespaces_own_uid() -> bool:
    """Whether a forked worker runs as a uid of its own outside its namespaces (a root grader where
    the kernel allows it), rather than as the grader's uid with no capability."""
    return namespaces() and bool(_own_uid)


def start_early() -> None:
    """Start the zygote now, and its probe in the background, so that both happen while the grader
    itself imports and prepares (the first worker then costs a fork): for commands that will grade."""
    if forkserver.wanted():
        forkserver.launch_early()
        # The probe (a worker that builds the whole sandbox once) too.
        forkserver.in_background(namespaces_status, name="grade-namespaces-probe")


# -- bubblewrap --------------------------------------------------------------------------------

def _core_flags(info_fd: int | None = None) -> list[str]:
    flags = ["--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
             "--uid", str(NOBODY), "--gid", str(NOBODY), "--new-session", "--die-with-parent",
             # The worker is PID 1 of its namespace: bubblewrap then waits for it itself, where its own
             # reaper would be left a zombie (the outer bwrap exits before reaping it).
             "--as-pid-1"]
    return flags + (["--info-fd", str(info_fd)] if info_fd is not None else [])


@functools.lru_cache(maxsize=1)
def bubblewrap_status() -> tuple[str | None, str]:
    """(bwrap's path, "") when it works here with the flags grade uses, else (None, why not)."""
    if _mode() in ("off", "0", "no", "none"):
        return None, f"{OS_SANDBOX_ENV}={_mode()}"
    path = shutil.which("bwrap")
    if not path:
        return None, "bubblewrap is not installed"
    probe = subprocess.run([path, "--ro-bind", "/", "/", *_core_flags(), "true"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, check=False)
    if probe.returncode != 0:
        why = probe.stderr.decode("utf-8", "replace").strip().splitlines()
        if why and "Unknown option" in why[-1]:
            return None, f"bubblewrap is too old here ({why[-1][:80]}): grade needs 0.8 or newer"
        return None, "bubblewrap cannot create its namespaces here" + (f" ({why[-1][:120]})" if why else "")
    return path, ""


def bubblewrap() -> str | None:
    """bwrap's path if it is installed and can make namespaces here (containers often forbid it)."""
    return bubblewrap_status()[0]


def _python_dirs() -> dict[str, list[str]]:
    """What the worker's interpreter needs, beyond /usr: the executable, the standard library, libpython."""
    exe = os.path.realpath(sys.executable)
    # The base installation's, not a virtual environment's (whose lib/ holds only site-packages).
    base = {"base": sys.base_prefix, "platbase": sys.base_exec_prefix, "installed_base": sys.base_prefix,
            "installed_platbase": sys.base_exec_prefix}
    stdlib = {os.path.realpath(sysconfig.get_paths(vars=base)[k]) for k in ("stdlib", "platstdlib")}
    stdlib.add(os.path.dirname(os.path.realpath(os.__file__)))
    # The whole library directory: libpython, and for conda-like installations the libraries the
    # standard library's extension modules link to (libffi, libssl, ...). Its site-packages is hidden.
    libdir = os.path.realpath(sysconfig.get_config_var("LIBDIR") or "")
    libs = [libdir] if os.path.isdir(libdir) and libdir != "/" else []
    return {"exe": [exe], "stdlib": sorted(p for p in stdlib if os.path.isdir(p)), "libs": libs}


def numpy_dirs() -> tuple[str, list[str]]:
    """numpy's site directory and numpy's own directories in it (the package and its bundled libraries).
    Found without importing numpy: the zygote starts while this process is still importing it."""
    import importlib.util

    spec = importlib.util.find_spec("numpy")
    if spec is None or not spec.origin:
        raise ImportError("numpy is not installed")
    package = Path(spec.origin).resolve().parent
    return str(package.parent), [str(p) for p in (package, package.with_name("numpy.libs")) if p.is_dir()]


def _package_dirs(under: list[str]) -> list[str]:
    """Directories of installed packages inside the trees the sandbox mounts: hidden, so that a forbidden
    library installed system-wide (Debian's python3-opencv, say) does not exist for the attempt."""
    patterns = ["/usr/lib/python3*/dist-packages", "/usr/lib/python3*/site-packages",
                "/usr/local/lib/python3*/dist-packages", "/usr/local/lib/python3*/site-packages"]
    found = {os.path.realpath(p) for pattern in patterns for p in glob(pattern)}
    found |= {os.path.join(d, "site-packages") for d in under}
    return sorted(p for p in found if os.path.isdir(p))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def sandbox_mounts(scratch: str | None = None, files: list[str] = ()) -> list[tuple]:
    """What a sandboxed worker sees, in the order it is mounted: a read-only view of /usr, the
    interpreter and numpy (installed packages' directories hidden), a proc and a minimal /dev of its
    own, size-limited tmpfs /tmp and /dev/shm; then ``scratch``, a fresh size-limited tmpfs holding
    read-only copies of ``files`` (host paths inside the host scratch directory, seen at the same
    path), and the root made read-only. Without ``scratch`` the list stops before it (the zygote adds
    its own per attempt). Each item is (kind, path...) as bubblewrap's options name them."""
    # /tmp, /dev and /proc first: a later tmpfs on /tmp would hide the interpreter or numpy when they
    # are installed below it (a virtual environment in a checkout under /tmp, as CI makes).
    mounts = [("proc", "/proc")]
    # What of /proc is not namespaced, read-only: the attempt's uid outside is the grader's, and for
    # root /proc/sys/kernel/core_pattern (a program the kernel runs as root) would be writable.
    # bubblewrap covers these only when they look writable to itself, which as root they do not.
    mounts += [("ro-bind-try", f"/proc/{name}", f"/proc/{name}") for name in ("sys", "sysrq-trigger", "irq", "bus")]
    mounts += [("dev", "/dev"), ("tmpfs", "/tmp", TMP_BYTES), ("tmpfs", "/dev/shm", TMP_BYTES),
               ("ro-bind", "/usr", "/usr")]
    for path in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime"):
        mounts.append(("ro-bind-try", path, path))
    for path in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(path):
            mounts.append(("symlink", os.readlink(path), path))
        elif os.path.isdir(path):
            mounts.append(("ro-bind", path, path))
    python = _python_dirs()
    mounted = ["/usr"]
    for path in python["exe"] + python["libs"] + python["stdlib"]:
        if not any(_inside(path, m) for m in mounted):
            mounts.append(("ro-bind", path, path))
            mounted.append(path)
    hidden = [d for d in _package_dirs(python["stdlib"]) if any(_inside(d, m) for m in mounted)]
    mounts += [("tmpfs", path, None) for path in hidden]
    _, numpy_own = numpy_dirs()
    mounts += [("ro-bind", path, path) for path in numpy_own]
    mounts += [("remount-ro", path) for path in hidden]
    if scratch is None:
        return mounts
    mounts.append(("tmpfs", scratch, SCRATCH_BYTES))
    mounts += [("ro-bind", path, path) for path in files]
    return mounts + [("remount-ro", "/")]


def bubblewrap_args(bwrap: str, scratch: str, files: list[str], info_fd: int | None = None) -> list[str]:
    """The command prefix that runs a worker in bubblewrap with the view of ``sandbox_mounts``."""
    args = [bwrap, *_core_flags(info_fd)]
    for kind, *paths in sandbox_mounts(scratch, files):
        if kind == "tmpfs" and paths[1] is not None:
            args += ["--size", str(paths[1])]
            paths = paths[:1]
        elif kind == "tmpfs":
            paths = paths[:1]
        args += [f"--{kind}", *paths]
    return args + ["--chdir", scratch, "--"]


def bwrap_child_pid(info_fd: int) -> int | None:
    """The host pid of the sandboxed process, from what bwrap wrote on ``--info-fd`` (None if nothing)."""
    try:
        data = os.read(info_fd, 4096)
    except (BlockingIOError, OSError):
        return None
    try:
        pid = json.loads(data.decode("utf-8", "replace")).get("child-pid")
    except (ValueError, AttributeError):
        return None
    return pid if isinstance(pid, int) and pid > 1 else None


def kill_child_of(parent: int, pid: int) -> None:
    """SIGKILL ``pid`` if it is still ``parent``'s child (a pidfd, so a reused pid is never hit)."""
    try:
        pidfd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        return
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        if ppid == parent:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
    except (OSError, ValueError):
        pass
    finally:
        os.close(pidfd)


# -- the unprivileged uid ----------------------------------------------------------------------

_uid_lock = threading.Lock()
_uids_in_use: set[int] = set()


#: Where the uids of forked workers outside their namespaces start: below the fallback's range. A
#: fallback worker is killed at its end with all of its uid's processes (``kill_all_of``), and another
#: grader on the machine allots the same numbers: the two ranges never meet.
FORKED_UIDS = NOBODY - MAX_FALLBACK_WORKERS


def take_uid(first: int = NOBODY) -> int:
    """A uid no other live worker of this grader uses, counting down from ``first``."""
    with _uid_lock:
        for uid in range(first, first - MAX_FALLBACK_WORKERS, -1):
            if uid not in _uids_in_use:
                _uids_in_use.add(uid)
                return uid
    raise RuntimeError(f"more than {MAX_FALLBACK_WORKERS} workers at once")


def release_uid(uid: int) -> None:
    with _uid_lock:
        _uids_in_use.discard(uid)


def kill_all_of(uid: int) -> None:
    """Kill every process of ``uid`` (what a hostile attempt may have started and detached): a
    process running as that uid sends SIGKILL to all it may signal, i.e. exactly that uid's."""
    kill = shutil.which("kill", path="/usr/bin:/bin")
    command = ([kill, "-KILL", "-1"] if kill else
               [sys.executable, "-I", "-S", "-c", "import os, signal; os.kill(-1, signal.SIGKILL)"])
    subprocess.run(command, user=uid, group=uid, extra_groups=[], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False, cwd="/")


_PROBE = """
import json, os, sys
paths, protected, unwritable, scratch_parent = json.loads(sys.argv[1])
sys.path[:0] = paths
import numpy
if not os.access(scratch_parent, os.X_OK):
    sys.exit("the scratch directories' parent is not reachable")
def readable(p):
    try:
        (os.listdir if os.path.isdir(p) else lambda q: os.close(os.open(q, os.O_RDONLY)))(p)
        return True
    except OSError:
        return False
print(json.dumps([p for p in protected if readable(p)] + [p for p in unwritable if os.access(p, os.W_OK)]))
"""


def _probe_as_nobody(protected: tuple[str, ...] = (), unwritable: tuple[str, ...] = ()) -> tuple[bool, list[str]]:
    """Run as the fallback's uid: can it start the interpreter and import numpy, and which of
    ``protected`` can it read or of ``unwritable`` write?"""
    site, _ = numpy_dirs()
    try:
        probe = subprocess.run([sys.executable, "-I", "-S", "-c", _PROBE,
                                json.dumps([[site], list(protected), list(unwritable), tempfile.gettempdir()])],
                               user=NOBODY, group=NOBODY, extra_groups=[], capture_output=True, cwd="/",
                               check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False, []
    if probe.returncode != 0:
        return False, []
    try:
        return True, json.loads(probe.stdout)
    except ValueError:
        return False, []


@functools.lru_cache(maxsize=1)
def unprivileged_uid_status() -> tuple[bool, str]:
    if _mode() in ("none",):
        return False, f"{OS_SANDBOX_ENV}=none"
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False, "the grader is not root, so it cannot run attempts as another uid"
    works, _ = _probe_as_nobody()
    if not works:
        return False, (f"uid {NOBODY} cannot run {os.path.realpath(sys.executable)} with numpy in "
                       f"{tempfile.gettempdir()} (are the Python installation and TMPDIR readable by others?)")
    return True, ""


def _forbidden_libraries() -> list[str]:
    """Where the libraries the exercises refuse (cv2, torch, ...) are installed for this interpreter."""
    import importlib.util

    from grader import catalog

    found = []
    for name in sorted({n.partition(".")[0] for e in catalog.EXERCISES for n in e.forbidden}):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.origin and os.path.exists(spec.origin):
            found.append(os.path.dirname(spec.origin) if spec.submodule_search_locations else spec.origin)
    return found


def os_layer() -> str | None:
    """The OS layer a worker started now gets: BUBBLEWRAP, UNPRIVILEGED_UID or None."""
    # Looked up as module globals at each call, so that a test can switch a layer off for one session.
    if namespaces():
        return NAMESPACES
    if bubblewrap():
        return BUBBLEWRAP
    if unprivileged_uid():
        return UNPRIVILEGED_UID
    return None


def unprivileged_uid() -> bool:
    return unprivileged_uid_status()[0]


def why_no_os_layer() -> str:
    return "; ".join(dict.fromkeys([namespaces_status()[1], bubblewrap_status()[1], unprivileged_uid_status()[1]]))


def class_mode_problem(protected: list[Path] = (), unwritable: list[Path] = ()) -> str | None:
    """Why grading a class here would not be safe, in one line, or None when an OS layer holds.
    ``protected``: what the attempt must not read (the grader, the references, other submissions);
    ``unwritable``: what it must not write (the results)."""
    layer = os_layer()
    if layer in MOUNT_NAMESPACE_LAYERS:
        return None  # only the interpreter, numpy and the scratch are mounted at all
    if layer == UNPRIVILEGED_UID:
        # Without a mount namespace a forbidden library installed here can be loaded from its path.
        protected = [*protected, *_forbidden_libraries()]
        works, exposed = _probe_as_nobody(tuple(str(p) for p in protected), tuple(str(p) for p in unwritable))
        if not works:
            return f"attempts cannot run as uid {NOBODY} here"
        if exposed:
            return (f"attempts would run as uid {NOBODY}, which can reach {exposed[0]}: make it unreadable "
                    f"to others (chmod -R o-rwx {exposed[0]}), or uninstall it if it is a library the "
                    "exercises refuse, or install bubblewrap")
        return None
    return f"no OS sandbox for the attempts ({why_no_os_layer()}): {HOW_TO_GET_IT}"


def refuse_unsandboxed_class(allow_unsandboxed: bool, *, protected=(), unwritable=()) -> str | None:
    """Class mode's policy: the one line to print before exiting with status 2, or None to go on.
    With ``allow_unsandboxed`` the run goes on and every record says no OS layer ran."""
    problem = class_mode_problem(list(protected), list(unwritable))
    if problem is None or allow_unsandboxed:
        return None
    return f"grade refuses to grade a class: {problem}. Pass --allow-unsandboxed to grade anyway."


# -- scratch directories -----------------------------------------------------------------------

_OWNED = re.compile(r"^grade-(?:batch-)?(\d+)\.(\d+)-")


def _start_time(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
        return stat[stat.rindex(b")") + 2:].split()[19].decode()
    except (OSError, ValueError, IndexError):
        return None


def owned_prefix(prefix: str = "grade-") -> str:
    """A temporary-directory prefix naming this process (pid and start time): a later run can tell
    that no live grader owns it any more."""
    pid = os.getpid()
    return f"{prefix}{pid}.{_start_time(pid) or 0}-"


def remove_stale(parent: str | None = None) -> list[str]:
    """Remove scratch and extraction directories whose grader is gone (killed with -9, say)."""
    parent = parent or tempfile.gettempdir()
    removed = []
    try:
        names = os.listdir(parent)
    except OSError:
        return removed
    for name in names:
        match = _OWNED.match(name)
        if not match:
            continue
        pid, start = int(match.group(1)), match.group(2)
        if _start_time(pid) == start:
            continue  # its grader is alive
        shutil.rmtree(os.path.join(parent, name), ignore_errors=True)
        removed.append(name)
    return removed


_cleaned: set[str] = set()


def make_scratch() -> str:
    """A fresh scratch directory marked with its owner; the first one of a process also clears stale ones."""
    parent = tempfile.gettempdir()
    if parent not in _cleaned:
        _cleaned.add(parent)
        remove_stale(parent)
    return tempfile.mkdtemp(prefix=owned_prefix())


# -- seccomp -----------------------------------------------------------------------------------

_ARCHES = {  # machine -> (AUDIT_ARCH_*, syscall numbers)
    "x86_64": (0xC000003E, {
        "clone": 56, "fork": 57, "vfork": 58, "clone3": 435, "ptrace": 101, "process_vm_readv": 310,
        "process_vm_writev": 311, "keyctl": 250, "add_key": 248, "request_key": 249, "userfaultfd": 323,
        "bpf": 321, "perf_event_open": 298, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "mount": 165, "umount2": 166, "pivot_root": 155, "unshare": 272,
        "setns": 308, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
        "fspick": 433, "mount_setattr": 442, "pidfd_send_signal": 424, "pidfd_getfd": 438, "kcmp": 312,
        "socket": 41}),
    "aarch64": (0xC00000B7, {
        "clone": 220, "clone3": 435, "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271,
        "keyctl": 219, "add_key": 217, "request_key": 218, "userfaultfd": 282, "bpf": 280,
        "perf_event_open": 241, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "mount": 40, "umount2": 39, "pivot_root": 41, "unshare": 97, "setns": 268, "open_tree": 428,
        "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "mount_setattr": 442, "pidfd_send_signal": 424, "pidfd_getfd": 438, "kcmp": 272, "socket": 198}),
}
_LD_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW, _KILL, _ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
_EPERM, _ENOSYS, _CLONE_THREAD = 1, 38, 0x10000


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k)


@functools.lru_cache(maxsize=1)
def seccomp_filter() -> bytes | None:
    """A classic-BPF seccomp program (struct sock_filter[]) for this machine's architecture, or None:
    threads but no new process (fork, vfork, clone without CLONE_THREAD fail with EPERM, clone3 with
    ENOSYS so that libc falls back to clone), no socket (no network even without a network namespace),
    and EPERM for tracing, keyrings, userfaultfd, bpf, perf, io_uring, mounts, namespaces and
    signalling by pidfd. Any other architecture (x32) is killed."""
    arch = os.uname().machine
    if arch not in _ARCHES or sys.byteorder != "little":
        return None
    audit_arch, numbers = _ARCHES[arch]
    prog = [_op(_LD_ABS, 4), _op(_JEQ, audit_arch, jt=1), _op(_RET, _KILL), _op(_LD_ABS, 0)]
    if arch == "x86_64":
        prog += [_op(_JGE, 0x40000000, jf=1), _op(_RET, _KILL)]  # the x32 ABI
    for name, nr in sorted(numbers.items()):
        if name == "clone":
            continue
        prog += [_op(_JEQ, nr, jf=1), _op(_RET, _ERRNO | (_ENOSYS if name == "clone3" else _EPERM))]
    prog += [_op(_JEQ, numbers["clone"], jf=3), _op(_LD_ABS, 16), _op(_JSET, _CLONE_THREAD, jt=1),
             _op(_RET, _ERRNO | _EPERM), _op(_RET, _ALLOW)]
    return b"".join(prog)
