"""The zygote: a trusted process that has imported numpy once and forks a fresh sandbox per attempt.

Starting an interpreter and importing numpy is most of what a grading costs (about 100 ms under
bubblewrap); a fork of a process that already did is a few milliseconds. So the grader starts this
file once (``python -I -S zygote.py CONFIG``, a fresh interpreter that holds nothing of the grader:
no reference, no suite, no other attempt) and asks it for one worker per attempt over a socket only
the grader holds. Each request forks a child that makes the sandbox bubblewrap would, from scratch:

1. the child (``_keeper``) unshares the user, mount, PID, network, IPC, UTS and cgroup namespaces,
   maps only its own uid (as 65534, like bubblewrap), and forks the worker, PID 1 of the new PID
   namespace; it then only waits for it and reports its exit status (128 + signal, like bubblewrap)
   and a pidfd to kill it by, on a socket of that attempt's own. For a root grader it first clones
   (open_tree) every tree the view binds and becomes the uid the grader chose for this attempt, so
   that the attempt is not root outside; the worker attaches the clones (move_mount);
2. the worker (``_worker``) dies with the keeper (PR_SET_PDEATHSIG), mounts a tmpfs root holding the
   view the grader computed (``oslayer.sandbox_mounts``: /usr, the interpreter, numpy read-only; a
   proc of its own with /proc/sys read-only; a minimal /dev; sized tmpfs /tmp, /dev/shm and scratch),
   pivots into it and detaches the host's root, writes the attempt (read from a descriptor, after
   the fork: the zygote never holds an attempt's bytes) into its scratch, drops every capability,
   keeps only its own descriptors, and runs ``worker.serve``, which loads the seccomp filter.

Nothing is shared between two attempts but this process's memory as it was before the fork, which
holds no attempt's data: a new process, scratch, and set of namespaces each time.

Like worker.py this runs as a plain script and must not import the ``grader`` package.
"""

import ctypes
import json
import os
import signal
import socket
import stat
import sys
import traceback

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x20000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC, MS_PRIVATE, MS_RELATIME = 1024, 2048, 4096, 16384, 1 << 18, 1 << 21
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 1, 24, 38, 47, 4
_MOUNT_OPTIONS = {"ro": MS_RDONLY, "nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC,
                  "noatime": MS_NOATIME, "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME}
NOBODY = 65534
#: The syscall numbers ctypes needs that libc may not wrap (pivot_root, capset, pidfd_open).
_SYSCALLS = {"x86_64": {"pivot_root": 155, "capset": 126, "open_tree": 428, "move_mount": 429},
             "aarch64": {"pivot_root": 41, "capset": 91, "open_tree": 428, "move_mount": 429}}
OPEN_TREE_CLONE, AT_RECURSIVE, AT_EMPTY_PATH, AT_FDCWD, MOVE_MOUNT_F_EMPTY_PATH = 1, 0x8000, 0x1000, -100, 4
PR_SET_DUMPABLE = 4
#: The descriptors a worker keeps, in this order from 3 (0-2 are /dev/null and its output pipes).
REQUEST_FD, REPLY_FD = 3, 4

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source, target, fstype, flags, data=None):
    _check(_libc.mount(source.encode() if source else None, target.encode(), fstype.encode() if fstype else None,
                       ctypes.c_ulong(flags), data.encode() if data else None), f"mount {target}")


def _syscall(name, *args):
    number = _SYSCALLS[os.uname().machine][name]
    result = _libc.syscall(number, *args)
    if result < 0:
        _check(result, name)
    return result


# -- the view -------------------------------------------------------------------------------------

def _mountinfo():
    """(mount point, per-mount options) of every mount this process sees, from its own mount table."""
    for proc in ("/old/proc", "/proc"):
        try:
            with open(f"{proc}/self/mountinfo", "rb") as handle:
                lines = handle.read().decode("utf-8", "surrogateescape").splitlines()
            break
        except OSError:
            continue
    else:
        raise OSError("no mount table to read")
    for line in lines:
        fields = line.split()
        # The mount point is octal-escaped (a space is \040).
        yield _unescape(fields[4]), fields[5].split(",")


def _unescape(field):
    """A mount point as mountinfo writes it, octal escapes (a space is \\040) undone. By hand: this
    runs while the new root is half built, where no codec may be imported."""
    parts = field.split("\\")
    out = parts[0]
    for part in parts[1:]:
        out += chr(int(part[:3], 8)) + part[3:] if part[:3].isdigit() else "\\" + part
    return out


def _flags_of(options):
    return sum(_MOUNT_OPTIONS.get(o, 0) for o in set(options))


def _remount(point, options, *, readonly=True, devices=False):
    """Remount ``point`` read-only (bind remount), keeping the flags a user namespace may not clear."""
    flags = _flags_of(options) | MS_NOSUID | (0 if devices else MS_NODEV) | (MS_RDONLY if readonly else 0)
    _mount(None, point, None, MS_BIND | MS_REMOUNT | flags)


def _inside(path, root):
    return path == root or path.startswith(root.rstrip("/") + "/")


def _ensure(dest, like_file=False):
    parent = os.path.dirname(dest.rstrip("/")) or "/"
    os.makedirs(parent, exist_ok=True)
    if like_file:
        if not os.path.lexists(dest):
            os.close(os.open(dest, os.O_WRONLY | os.O_CREAT, 0o444))
    else:
        os.makedirs(dest, exist_ok=True)


def _bind(source, dest, *, readonly=True, devices=False, trees=None):
    """Bind ``source`` (a path below /old) on ``dest``, or attach the tree the keeper cloned of it."""
    tree = (trees or {}).get(source)
    if tree is not None:
        _ensure(dest, like_file=not stat.S_ISDIR(os.fstat(tree).st_mode))
        _syscall("move_mount", tree, b"", AT_FDCWD, dest.encode(), MOVE_MOUNT_F_EMPTY_PATH)
    else:
        _ensure(dest, like_file=not os.path.isdir(source))
        _mount(source, dest, None, MS_BIND | MS_REC)
    # Recursive, so every mount below the destination (the source's own submounts) is made read-only too.
    for point, options in list(_mountinfo()):
        if _inside(point, dest):
            _remount(point, options, readonly=readonly, devices=devices)


def _tmpfs(dest, size=None, mode="0755", flags=MS_NOSUID | MS_NODEV):
    _ensure(dest)
    _mount("tmpfs", dest, "tmpfs", flags, f"mode={mode}" + (f",size={size}" if size else ""))


def _proc(dest):
    _ensure(dest)
    _mount("proc", dest, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty")


def _dev(dest, trees):
    _tmpfs(dest, flags=MS_NOSUID | MS_NOEXEC)
    for node in DEV_NODES:
        source = f"/dev/{node}"
        if source in trees or (not trees and os.path.exists(f"/old{source}")):
            _bind(f"/old{source}", f"{dest}/{node}", readonly=False, devices=True, trees=_at_old(trees))
    for number, name in enumerate(("stdin", "stdout", "stderr")):
        os.symlink(f"/proc/self/fd/{number}", f"{dest}/{name}")
    os.symlink("/proc/self/fd", f"{dest}/fd")
    os.mkdir(f"{dest}/shm")


def _at_old(trees):
    """``trees`` keyed by where their source is seen once the host's root is at /old."""
    return {"/old" + path: fd for path, fd in trees.items()}


def _bind_sources(mounts):
    """Every host path the mounts bind, devices included, as it names them."""
    sources = [op[1] for op in mounts if op[0] in ("ro-bind", "ro-bind-try")]
    if any(op[0] == "dev" for op in mounts):
        sources += [f"/dev/{node}" for node in DEV_NODES]
    return sources


def clone_trees(mounts):
    """Detached copies (open_tree) of every tree the mounts bind, made while this process can still
    reach them all: after it has become a uid of its own it may not (an interpreter under a 0700
    /root), and a copy attached later needs no path to its source."""
    trees = {}
    for path in _bind_sources(mounts):
        try:
            trees[path] = _syscall("open_tree", AT_FDCWD, path.encode(), OPEN_TREE_CLONE | AT_RECURSIVE)
        except FileNotFoundError:
            pass  # a ro-bind-try that is not there; a ro-bind missing fails when it is mounted
    return trees


def _build_root(mounts, scratch, trees=None):
    """Make a tmpfs the root holding only ``mounts`` (oslayer.sandbox_mounts) and the scratch;
    ``trees`` (clone_trees), when given, are what the binds attach."""
    trees = trees or {}
    at_old = _at_old(trees)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    # The new root is first mounted on /tmp, then the host's root moves to /old below it: host paths
    # are read from /old, so a tmpfs made later (the sandbox's /tmp) hides none of them.
    _tmpfs("/tmp")
    os.mkdir("/tmp/old")
    _syscall("pivot_root", b"/tmp", b"/tmp/old")
    os.chdir("/")
    for op in mounts:
        kind = op[0]
        if kind == "proc":
            _proc(op[1])
        elif kind == "dev":
            _dev(op[1], trees)
        elif kind == "tmpfs":
            _tmpfs(op[1], op[2])
        elif kind in ("ro-bind", "ro-bind-try"):
            if op[1] in trees or (not trees and os.path.lexists("/old" + op[1])):
                _bind("/old" + op[1], op[2], trees=at_old)
            elif kind == "ro-bind":
                raise OSError(f"cannot mount {op[1]}: it does not exist")
        elif kind == "symlink":
            _ensure(os.path.dirname(op[2]))
            os.symlink(op[1], op[2])
        elif kind == "remount-ro":
            for point, options in list(_mountinfo()):
                if point == op[1]:
                    _remount(point, options)
        else:
            raise ValueError(f"unknown mount {kind}")
    _tmpfs(scratch["path"], scratch["bytes"])
    _check(_libc.umount2(b"/old", MNT_DETACH), "umount /old")
    os.rmdir("/old")
    for point, options in list(_mountinfo()):
        if point == "/":
            _remount(point, options)
    os.chdir(scratch["path"])


def _drop_capabilities():
    """No capability left in any set, and none that an exec could bring back (no_new_privs, as
    bubblewrap sets it: a set-uid binary or file capabilities cannot raise them again)."""
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    last = 0
    while _libc.prctl(PR_CAPBSET_DROP, last, 0, 0, 0) == 0:
        last += 1
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable, twice (64 bits): all zero
    _syscall("capset", header, data)


# -- one attempt ------------------------------------------------------------------------------------

def _keep_only(fds):
    """Move ``fds`` to 0, 1, 2, 3, ... and close every other descriptor this process holds."""
    high = [os.dup(fd) for fd in fds]  # dup first: a target number may be one of the sources
    for target, fd in enumerate(high):
        os.dup2(fd, target)
    os.closerange(len(fds), os.sysconf("SC_OPEN_MAX"))


def _worker(request, fds, lifeline, worker, trees):
    """PID 1 of the attempt's namespace: build its root, drop privileges, serve the grader."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    null = os.open("/dev/null", os.O_RDWR)
    _build_root(request["mounts"], request["scratch"], trees)
    attempt = os.path.join(request["scratch"]["path"], request["file"])
    with open(attempt, "wb") as out, os.fdopen(fds["attempt"], "rb") as source:
        out.write(source.read(request["max_bytes"]))
    os.chmod(attempt, 0o444)
    os.setsid()
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    _drop_capabilities()
    # Again, after the credentials changed (which may clear it); then the lifeline, whose write end
    # the keeper holds and never writes: end of file means it died before this, so no signal would come.
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.set_blocking(lifeline, False)
    try:
        if os.read(lifeline, 1) == b"":
            os._exit(1)
    except BlockingIOError:
        pass
    os.close(lifeline)
    _keep_only([null, fds["stdout"], fds["stderr"], fds["request"], fds["reply"]])
    os.environ.clear()
    os.environ.update(request["env"])
    config = dict(request["worker"], attempt=attempt, request_fd=REQUEST_FD, reply_fd=REPLY_FD)
    if request.get("probe"):
        os.write(REPLY_FD, b'{"event": "probe"}\n')
        os._exit(0)
    # As a worker started afresh sees it (and the zygote's own configuration is not left to read).
    sys.argv[:] = ["_grade_worker.py", json.dumps(config)]
    worker.serve(config)
    os._exit(0)


def _keeper(request, fds, worker, zygote_pid):
    """The zygote's child: make the namespaces, fork the worker into them, report how it ended."""
    status = socket.socket(fileno=fds["status"])
    try:
        trees = {}
        if os.geteuid() == 0:
            os.setgroups([])
            host_uid = request.get("host_uid")
            if host_uid is not None:
                # The attempt's uid outside becomes one of its own, not root: what the mounts show is
                # cloned first, as root, and the keeper then unshares as that uid.
                trees = clone_trees(request["mounts"])
                os.setresgid(host_uid, host_uid, host_uid)
                os.setresuid(host_uid, host_uid, host_uid)
                # Changing uid made it undumpable, which leaves /proc/self (its maps) to root.
                _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
        uid, gid = os.geteuid(), os.getegid()
        _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC
                             | CLONE_NEWUTS | CLONE_NEWCGROUP), "unshare")
        for name, text in (("setgroups", "deny"), ("uid_map", f"{NOBODY} {uid} 1"), ("gid_map", f"{NOBODY} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as handle:
                handle.write(text)
        # Dies with the zygote (and so with the grader); set after the credentials changed, which clears it.
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != zygote_pid:
            os._exit(1)
        lifeline_r, lifeline_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(lifeline_w)
                status.close()
                _worker(request, fds, lifeline_r, worker, trees)
            except BaseException:  # noqa: B902  whatever failed, never return into the zygote's loop
                message = traceback.format_exc(limit=3)[-800:]
                try:
                    os.write(fds["reply"], json.dumps({"event": "setup_failed", "message": message}).encode() + b"\n")
                finally:
                    os._exit(1)
        os.close(lifeline_r)
        for fd in [*(fd for fd in fds.values() if fd != fds["status"]), *trees.values()]:
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        socket.send_fds(status, [b"P"], [pidfd])
        os.close(pidfd)
        _, wait_status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(wait_status)
        status.sendall(b"S%d" % (128 - code if code < 0 else code))
    except BaseException:  # noqa: B902
        try:
            status.sendall(b"E" + traceback.format_exc(limit=3)[-800:].encode())
        finally:
            os._exit(1)
    os._exit(0)


FD_NAMES = ("request", "reply", "stdout", "stderr", "status", "attempt")


def _reap(*_):
    """Reap the keepers that are done (each has already reported to the grader)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def serve(control, worker):
    """Fork one keeper per request on ``control`` (a SOCK_SEQPACKET socket) until it closes. A
    request names the attempt's mounts, scratch, limits and environment, and brings its descriptors."""
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, len(FD_NAMES))
        except InterruptedError:
            continue
        if not message:
            return
        if len(fds) != len(FD_NAMES):
            for fd in fds:
                os.close(fd)
            continue
        named = dict(zip(FD_NAMES, fds))
        zygote = os.getpid()
        try:
            request = json.loads(message)
            child = os.fork()
        except Exception:  # noqa: BLE001  one request that cannot be served must not end the zygote
            try:
                os.write(named["reply"], json.dumps({"event": "setup_failed",
                                                     "message": traceback.format_exc(limit=2)[-400:]}).encode() + b"\n")
            except OSError:
                pass
            child = None
        if child == 0:
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                control.close()
                _keeper(request, named, worker, zygote)
            finally:
                os._exit(1)
        for fd in fds:
            os.close(fd)


def main():
    config = json.loads(sys.argv[1])
    signal.pthread_sigmask(signal.SIG_SETMASK, [])  # the mask of the grader's thread that started it
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != config["parent"]:
        sys.exit(1)
    import importlib.util

    sys.path[:0] = config["paths"]
    import numpy  # noqa: F401  once, for every worker forked from here
    # And what the worker imports later, so that a forked worker finds them loaded too.
    import importlib.abc  # noqa: F401
    import io  # noqa: F401
    import resource  # noqa: F401
    del sys.path[: len(config["paths"])]  # the worker adds numpy's directory back itself
    spec = importlib.util.spec_from_file_location("_grade_worker", config["worker_file"])
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    signal.signal(signal.SIGCHLD, _reap)
    control = socket.socket(fileno=config["control_fd"])
    os.write(config["ready_fd"], b"R")
    os.close(config["ready_fd"])
    serve(control, worker)


if __name__ == "__main__":
    main()
