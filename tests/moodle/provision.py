"""Brings up a private Moodle 4.5 for the tests: PostgreSQL on 127.0.0.1, ``php -S``, a restored site.

Nothing here is Learnmark-specific; ``harness.py`` builds the test API on top of it.

Cold (first run on a machine, or after the tarball or this file changed), about a minute and a
half: unpack the tarball into the cache, install a site with ``admin/cli/install_database.php``,
keep a copy of its stopped database cluster and of its dataroot in the cache. Warm (every later
run), a few seconds: copy both into a fresh session folder, start PostgreSQL and ``php -S``.

Cache (``$LEARNMARK_MOODLE_CACHE``, else ``${XDG_CACHE_HOME:-~/.cache}/learnmark/moodle``)::

    source-<tarball key>/moodle/     the unpacked source, shared by every session; its config.php is
                                     a shim that loads the file $LEARNMARK_MOODLE_CONFIG names
    site-<site key>/pgdata/          the freshly installed site's database cluster, cleanly stopped
                                     (a physical dump: copying it is ten times faster than pg_restore)
    site-<site key>/moodledata/      its dataroot, without Moodle's caches; each session adds the
                                     localcache files it built (compiled CSS, JS, templates: they
                                     hold no URL or path), so later sessions start with them warm
    lock                             held while any of these is being written

Building a new source or site removes the cache's older ones.

The tarball key is its size and the SHA-256 of its first MiB; the site key adds the bytes of this
file and of php/setup_site.php (the one change made after installing: the MathJax filter, which
loads from a CDN, is off) and the PHP and PostgreSQL versions, so changing how the site is
installed builds a new one.

Each session runs in its own folder (``/dev/shm/learnmark-moodle-*``, in memory where there is a
/dev/shm, as creating PostgreSQL's thousands of files on disk is slow): the cluster (owned by the
``postgres`` user when we run as root), the dataroot, the session's config.php (its wwwroot names
this session's port) and the servers' logs, which are copied to ``tests/moodle/.logs/`` when the
session ends. Moodle's application caches (dataroot/cache) start empty in every session, which is
what purging them would do. Both servers listen on 127.0.0.1 only, on ports picked at run time.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
LOG_COPY = HERE / ".logs"
DEFAULT_TARBALL = REPO_ROOT.parent / "shared" / "lms" / "moodle-4.5.5.tar.xz"
PHP_SUPPORTED = ((8, 1), (8, 3))  # Moodle 4.5's range; its installer refuses 8.4
DB_NAME = DB_USER = DB_PASS = "moodle"
ADMIN_USER, ADMIN_PASS = "admin", "Admin-pass-1"
PHP_INI = "max_input_vars = 5000\n"  # Moodle's environment check requires at least 5000
SERVER_WORKERS = "4"
CONFIG_ENV = "LEARNMARK_MOODLE_CONFIG"
SETUP_SCRIPT = HERE / "php" / "setup_site.php"  # run once after installing; part of the site key

SHIM_CONFIG = """<?php  // Moodle configuration file, written by Learnmark's test harness (tests/moodle/provision.py).
// This source tree is shared by every test session on the machine: each session's own configuration
// (its wwwroot, database port and dataroot) is in the file that LEARNMARK_MOODLE_CONFIG names.
if (!getenv('LEARNMARK_MOODLE_CONFIG')) {
    echo "LEARNMARK_MOODLE_CONFIG is not set: this Moodle only runs under Learnmark's test harness.\\n";
    exit(1);
}
require(getenv('LEARNMARK_MOODLE_CONFIG'));
"""

SESSION_CONFIG = """<?php  // Moodle configuration for one test session, written by tests/moodle/provision.py.
unset($CFG);
global $CFG;
$CFG = new stdClass();

$CFG->dbtype    = 'pgsql';
$CFG->dblibrary = 'native';
$CFG->dbhost    = '127.0.0.1';
$CFG->dbname    = {db_name};
$CFG->dbuser    = {db_user};
$CFG->dbpass    = {db_pass};
$CFG->prefix    = 'mdl_';
$CFG->dboptions = ['dbpersist' => 0, 'dbport' => {db_port}, 'dbsocket' => ''];

$CFG->wwwroot   = {wwwroot};
$CFG->dataroot  = {dataroot};
$CFG->admin     = 'admin';
$CFG->directorypermissions = 02777;

// The test site sends no mail.
$CFG->noemailever = true;

require_once({setup});
"""


class MoodleUnavailable(Exception):
    """This machine cannot run Moodle at all (no tarball, no suitable PHP): the tests skip, saying why."""


class ProvisioningError(Exception):
    """Moodle could have run but something failed: the tests fail with this message and the log tail."""


# --------------------------------------------------------------------------
# Where things are
# --------------------------------------------------------------------------


def tarball_path() -> Path:
    return Path(os.environ.get("LEARNMARK_MOODLE_TARBALL") or DEFAULT_TARBALL)


def cache_root() -> Path:
    if os.environ.get("LEARNMARK_MOODLE_CACHE"):
        return Path(os.environ["LEARNMARK_MOODLE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "learnmark" / "moodle"


def find_php() -> tuple[str, str]:
    """(path, version) of a PHP that can run Moodle 4.5, or MoodleUnavailable saying what was found."""
    php = shutil.which("php")
    if not php:
        raise MoodleUnavailable("Moodle tests skipped: no php on PATH (Moodle 4.5 needs PHP 8.1-8.3; "
                                "bash tests/run installs Debian's php8.2 when the Moodle tarball is present)")
    try:
        version = subprocess.run([php, "-r", "echo PHP_VERSION;"], capture_output=True, text=True, timeout=60,
                                 stdin=subprocess.DEVNULL).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MoodleUnavailable(f"Moodle tests skipped: {php} does not run ({exc})") from exc
    match = re.match(r"(\d+)\.(\d+)", version)
    if not match or not PHP_SUPPORTED[0] <= (int(match[1]), int(match[2])) <= PHP_SUPPORTED[1]:
        raise MoodleUnavailable(f"Moodle tests skipped: {php} is PHP {version or '(unknown version)'}, "
                                "and Moodle 4.5 needs PHP 8.1-8.3")
    return php, version


def check_machine() -> tuple[str, str]:
    """(php, its version) if this machine can run the Moodle tests; else MoodleUnavailable saying why not."""
    tarball = tarball_path()
    if not tarball.is_file():
        raise MoodleUnavailable(f"Moodle tests skipped: no Moodle tarball at {tarball} "
                                "(set LEARNMARK_MOODLE_TARBALL to the path of moodle-4.5.x.tar.xz)")
    return find_php()


def find_postgres_bin() -> Path:
    """The folder holding initdb, pg_ctl, pg_dump, pg_restore and psql of one PostgreSQL version."""
    candidates = []
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(os.path.realpath(initdb)).parent)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version_key(p.parent.name),
                         reverse=True)
    for folder in candidates:
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "pg_dump", "pg_restore", "psql")):
            return folder
    raise ProvisioningError("PostgreSQL is missing: no initdb (with pg_ctl, pg_dump, pg_restore and psql beside it) "
                            "on PATH or in /usr/lib/postgresql/*/bin. bash tests/run installs Debian's postgresql "
                            "when the Moodle tarball is present.")


def _version_key(name: str) -> tuple:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def session_parent() -> str:
    """Where session folders go: /dev/shm (memory) when usable, else the temporary folder."""
    shm = "/dev/shm"
    try:
        if os.path.isdir(shm) and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 1 << 30:
            return shm
    except OSError:
        pass
    return tempfile.gettempdir()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tarball_key(tarball: Path) -> str:
    h = hashlib.sha256(str(tarball.stat().st_size).encode())
    with open(tarball, "rb") as f:
        h.update(f.read(1 << 20))
    return h.hexdigest()[:16]


def site_key(tar_key: str, php_version: str, pg_bin: Path) -> str:
    pg_version = subprocess.run([str(pg_bin / "initdb"), "--version"], capture_output=True, text=True).stdout.strip()
    h = hashlib.sha256()
    for part in (tar_key, Path(__file__).read_bytes(), SETUP_SCRIPT.read_bytes(), (HERE / "php" / "bootstrap.php").read_bytes(),
                 ".".join(php_version.split(".")[:2]), pg_version):
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------
# Running things and saying what went wrong
# --------------------------------------------------------------------------


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def run_logged(cmd: list[str], log: Path, *, what: str, timeout: float, env: dict | None = None, cwd: Path | None = None,
               user: str | None = None) -> None:
    """Runs cmd with its output appended to log; a failure is a ProvisioningError with the log's tail."""
    if user:
        cmd = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", user, "--", *cmd]
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        started = time.monotonic()
        try:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=cwd,
                                  timeout=timeout)
            out.write(f"# exit {proc.returncode} after {time.monotonic() - started:.2f} s\n")
        except subprocess.TimeoutExpired:
            raise ProvisioningError(f"{what} took over {timeout:.0f} s: {' '.join(cmd)}\n--- {log} ---\n{tail(log)}")
        except OSError as exc:
            raise ProvisioningError(f"{what} could not start: {' '.join(cmd)}: {exc}")
    if proc.returncode != 0:
        raise ProvisioningError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n--- {log} ---\n{tail(log)}")


@contextmanager
def cache_lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# --------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------


@dataclass
class Timings:
    source: float = 0.0
    database: float = 0.0
    install: float = 0.0
    restore: float = 0.0
    server: float = 0.0
    total: float = 0.0
    cold_source: bool = False
    cold_site: bool = False

    def __str__(self) -> str:
        parts = [f"total {self.total:.1f} s"]
        if self.cold_source:
            parts.append(f"unpacked the source in {self.source:.1f} s")
        if self.cold_site:
            parts.append(f"installed the site in {self.install:.1f} s")
        else:
            parts.append(f"restored the site in {self.restore:.1f} s")
        parts.append(f"cluster {self.database:.1f} s, php -S {self.server:.1f} s")
        return ", ".join(parts)


class MoodleSite:
    """A running Moodle: ``start()`` brings it up, ``stop()`` ends both servers and removes the session folder."""

    def __init__(self):
        self.tarball = tarball_path()
        self.cache = cache_root()
        self.timings = Timings()
        self.url = ""
        self.run_dir: Path | None = None
        self.dirroot: Path | None = None
        self.php = ""
        self.php_version = ""
        self.pg_bin: Path | None = None
        self.pg_user: str | None = None
        self.pg_port = 0
        self.www_port = 0
        self.site_dir: Path | None = None
        self._server: subprocess.Popen | None = None
        self._pg_started = False

    # ---- what callers use ----------------------------------------------

    def php_env(self) -> dict:
        """Environment for running Moodle's PHP (CLI scripts and the server)."""
        env = dict(os.environ)
        # An empty first entry keeps PHP's own scan folder (conf.d: pgsql, intl...) and adds ours.
        env["PHP_INI_SCAN_DIR"] = ":" + str(self.run_dir / "php-ini")
        env[CONFIG_ENV] = str(self.run_dir / "config.php")
        env["LEARNMARK_MOODLE_DIRROOT"] = str(self.dirroot)
        return env

    def pg_env(self) -> dict:
        env = dict(os.environ)
        env.update(PGHOST="127.0.0.1", PGPORT=str(self.pg_port), PGUSER=DB_USER, PGPASSWORD=DB_PASS, PGDATABASE=DB_NAME,
                   PGCONNECT_TIMEOUT="10")
        return env

    def log(self, name: str) -> Path:
        return self.run_dir / "logs" / name

    # ---- bringing it up ----------------------------------------------------

    def check(self) -> None:
        """Raises MoodleUnavailable when this machine cannot run the Moodle tests at all."""
        self.php, self.php_version = check_machine()

    def start(self) -> "MoodleSite":
        started = time.monotonic()
        self.check()
        self.pg_bin = find_postgres_bin()
        self.pg_user = _postgres_user()
        self.run_dir = Path(tempfile.mkdtemp(prefix="learnmark-moodle-", dir=session_parent()))
        self.run_dir.chmod(0o711)  # the cluster's owner must reach its folder inside
        (self.run_dir / "logs").mkdir()
        (self.run_dir / "logs").chmod(0o777)
        (self.run_dir / "php-ini").mkdir()
        (self.run_dir / "php-ini" / "90-learnmark-moodle.ini").write_text(PHP_INI)
        try:
            tar_key = tarball_key(self.tarball)
            skey = site_key(tar_key, self.php_version, self.pg_bin)
            self.dirroot = self._ensure_source(tar_key)
            self._verify_php_ini()
            self.www_port = free_port()
            self.pg_port = free_port()
            self.url = f"http://127.0.0.1:{self.www_port}"
            self._write_config()
            self.site_dir = self.cache / f"site-{skey}"
            self._ensure_site()
            t = time.monotonic()
            self._start_server()
            self.timings.server = time.monotonic() - t
        except BaseException:
            self.stop()
            raise
        self.timings.total = time.monotonic() - started
        self.log("timings.txt").write_text(str(self.timings) + "\n")
        return self

    def _ensure_source(self, tar_key: str) -> Path:
        folder = self.cache / f"source-{tar_key}"
        dirroot = folder / "moodle"
        if not (folder / "complete").is_file():
            with cache_lock(self.cache):
                if not (folder / "complete").is_file():
                    t = time.monotonic()
                    self.timings.cold_source = True
                    tmp = self.cache / f"source-{tar_key}.tmp-{os.getpid()}"
                    shutil.rmtree(tmp, ignore_errors=True)
                    shutil.rmtree(folder, ignore_errors=True)
                    tmp.mkdir(parents=True)
                    run_logged(["tar", "-xJf", str(self.tarball), "-C", str(tmp)], self.log("provision.log"),
                               what=f"unpacking {self.tarball}", timeout=600)
                    if not (tmp / "moodle" / "version.php").is_file():
                        raise ProvisioningError(f"{self.tarball} did not unpack to a moodle/ folder with a version.php")
                    (tmp / "complete").write_text(str(self.tarball) + "\n")
                    tmp.rename(folder)
                    _prune(self.cache, "source-", folder)
                    self.timings.source = time.monotonic() - t
        config = dirroot / "config.php"
        if not config.is_file() or config.read_text() != SHIM_CONFIG:
            with cache_lock(self.cache):
                tmp = dirroot / f"config.php.tmp-{os.getpid()}"
                tmp.write_text(SHIM_CONFIG)
                tmp.rename(config)
        return dirroot

    def _verify_php_ini(self) -> None:
        """Our ini folder must add max_input_vars without hiding the system's (which loads pgsql, intl...)."""
        out = subprocess.run([self.php, "-r", "echo ini_get('max_input_vars'), ' ', "
                              "implode(',', array_filter(['pgsql', 'intl', 'mbstring', 'xml', 'zip', 'gd', 'curl', "
                              "'soap', 'sodium'], fn($e) => !extension_loaded($e)));"],
                             capture_output=True, text=True, env=self.php_env(), stdin=subprocess.DEVNULL)
        value, _, missing = out.stdout.strip().partition(" ")
        if out.returncode != 0 or value != "5000" or missing:
            raise ProvisioningError(
                f"PHP with PHP_INI_SCAN_DIR={self.php_env()['PHP_INI_SCAN_DIR']} gives max_input_vars={value!r} and lacks "
                f"the extensions [{missing}] (exit {out.returncode}); bash tests/run installs php8.2-pgsql, -intl, -xml, "
                f"-zip, -gd, -mbstring, -curl, -soap...\n{out.stderr}")

    def _init_cluster(self) -> None:
        """A new, empty cluster in the session folder (for installing), with the database Moodle will use."""
        pgdata = self.run_dir / "pgdata"
        pwfile = self.run_dir / "pgpass"
        pwfile.write_text(DB_PASS + "\n")
        pwfile.chmod(0o644)
        if self.pg_user:
            pgdata.mkdir(mode=0o700)
            shutil.chown(pgdata, self.pg_user)
        run_logged([str(self.pg_bin / "initdb"), "-D", str(pgdata), "-U", DB_USER, f"--pwfile={pwfile}",
                    "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                   self.log("provision.log"), what="initdb", timeout=120, user=self.pg_user)
        pwfile.unlink()
        self._start_cluster()
        self.psql_admin(f"CREATE DATABASE {DB_NAME} ENCODING 'UTF8' TEMPLATE template0")

    def _start_cluster(self) -> None:
        log = self.log("postgres.log")
        log.touch()
        if self.pg_user:
            shutil.chown(log, self.pg_user)
        options = (f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        run_logged([str(self.pg_bin / "pg_ctl"), "-D", str(self.run_dir / "pgdata"), "-l", str(log), "-w", "-t", "60",
                    "-o", options, "start"], self.log("provision.log"), what="starting PostgreSQL", timeout=90,
                   user=self.pg_user)
        self._pg_started = True

    def _stop_cluster(self, mode: str) -> None:
        self._pg_started = False
        run_logged([str(self.pg_bin / "pg_ctl"), "-D", str(self.run_dir / "pgdata"), "-m", mode, "-w", "-t", "60",
                    "stop"], self.log("provision.log"), what="stopping PostgreSQL", timeout=90, user=self.pg_user)

    def psql_admin(self, command: str) -> None:
        env = self.pg_env()
        env["PGDATABASE"] = "postgres"
        run_logged([str(self.pg_bin / "psql"), "-v", "ON_ERROR_STOP=1", "-qc", command], self.log("provision.log"),
                   what=f"psql {command!r}", timeout=60, env=env)

    def _write_config(self) -> None:
        def php_str(value) -> str:
            return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

        dataroot = self.run_dir / "moodledata"
        (self.run_dir / "config.php").write_text(SESSION_CONFIG.format(
            db_name=php_str(DB_NAME), db_user=php_str(DB_USER), db_pass=php_str(DB_PASS), db_port=self.pg_port,
            wwwroot=php_str(self.url), dataroot=php_str(dataroot), setup=php_str(self.dirroot / "lib" / "setup.php")))

    def _ensure_site(self) -> None:
        folder = self.site_dir
        if not (folder / "complete").is_file():
            with cache_lock(self.cache):
                if not (folder / "complete").is_file():
                    self._install(folder)
                    return
        t = time.monotonic()
        _copy_tree(folder / "pgdata", self.run_dir / "pgdata", self.log("provision.log"), owner=self.pg_user)
        _copy_tree(folder / "moodledata", self.run_dir / "moodledata", self.log("provision.log"))
        self.timings.restore = time.monotonic() - t
        t = time.monotonic()
        self._start_cluster()
        self.timings.database = time.monotonic() - t

    def _install(self, folder: Path) -> None:
        """Installs a fresh site into this session's cluster and dataroot, then keeps a copy of both in the cache."""
        t = time.monotonic()
        self._init_cluster()
        self.timings.database = time.monotonic() - t
        t = time.monotonic()
        self.timings.cold_site = True
        dataroot = self.run_dir / "moodledata"
        dataroot.mkdir()
        run_logged([self.php, str(self.dirroot / "admin" / "cli" / "install_database.php"), "--agree-license",
                    "--lang=en", f"--adminuser={ADMIN_USER}", f"--adminpass={ADMIN_PASS}",
                    "--adminemail=admin@example.com", "--fullname=Learnmark test site", "--shortname=learnmark"],
                   self.log("install.log"), what="installing Moodle (admin/cli/install_database.php)", timeout=1200,
                   env=self.php_env())
        run_logged([self.php, str(SETUP_SCRIPT)], self.log("install.log"), what="php/setup_site.php", timeout=300,
                   env=self.php_env())
        self.timings.install = time.monotonic() - t
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
        tmp.mkdir(parents=True)
        self._stop_cluster("fast")  # a clean shutdown: the copy needs no recovery when it starts
        _copy_tree(self.run_dir / "pgdata", tmp / "pgdata", self.log("provision.log"))
        self._start_cluster()
        shutil.copytree(dataroot, tmp / "moodledata", symlinks=True, ignore=_not_kept)
        (tmp / "complete").write_text(json.dumps({"tarball": str(self.tarball), "php": self.php_version,
                                                  "installed": time.strftime("%Y-%m-%d %H:%M:%S")}) + "\n")
        tmp.rename(folder)
        _prune(self.cache, "site-", folder)

    def _keep_localcache(self) -> None:
        """Adds the localcache files this session built to the cached dataroot (see the module's docstring)."""
        mine = self.run_dir / "moodledata" / "localcache"
        kept = self.site_dir / "moodledata" / "localcache"
        if not mine.is_dir() or not (self.site_dir / "complete").is_file():
            return
        with cache_lock(self.cache):
            for path in sorted(mine.rglob("*")):
                target = kept / path.relative_to(mine)
                if path.is_dir() or target.exists() or path.is_symlink():
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
                shutil.copy2(path, tmp)
                tmp.rename(target)

    def _start_server(self) -> None:
        env = self.php_env()
        env["PHP_CLI_SERVER_WORKERS"] = SERVER_WORKERS
        log = open(self.log("php-server.log"), "w")
        # opcache for the server only: its workers share the compiled Moodle between requests.
        self._server = subprocess.Popen(
            [self.php, "-d", "opcache.enable_cli=1", "-d", "opcache.memory_consumption=256",
             "-d", "opcache.max_accelerated_files=50000", "-S", f"127.0.0.1:{self.www_port}", "-t", str(self.dirroot)],
            cwd=self.dirroot, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        log.close()
        deadline = time.monotonic() + 60
        last = ""
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise ProvisioningError(f"php -S exited with status {self._server.returncode}\n"
                                        f"--- {self.log('php-server.log')} ---\n{tail(self.log('php-server.log'))}")
            try:
                with urllib.request.urlopen(self.url + "/login/index.php", timeout=10) as response:
                    body = response.read().decode("utf-8", "replace")
                if response.status == 200 and 'name="logintoken"' in body:
                    return
                last = f"HTTP {response.status}, no login form:\n{body[:2000]}"
            except (urllib.error.URLError, OSError) as exc:
                last = str(exc)
            time.sleep(0.2)
        raise ProvisioningError(f"Moodle's login page at {self.url}/login/index.php did not answer within 60 s: {last}\n"
                                f"--- {self.log('php-server.log')} ---\n{tail(self.log('php-server.log'))}")

    # ---- watching the server ----------------------------------------------------

    def log_mark(self) -> int:
        """Where php -S's log ends now; wait_idle(mark) looks at requests from there on."""
        try:
            return self.log("php-server.log").stat().st_size
        except OSError:
            return 0

    def wait_idle(self, mark: int, quiet: float = 0.3, timeout: float = 15.0, preconnect: float = 4.0) -> None:
        """Waits until every connection php -S accepted since mark is closed, and none came for `quiet` s.

        php -S answers one request per connection and logs "Accepted" and "Closing" for each, so this
        sees requests the browser cannot report, such as navigator.sendBeacon() from a page being left.
        Chromium also opens connections it may never use (speculative preconnects), which php -S closes
        only after its own timeout: when nothing has been logged for `preconnect` s, connections still
        open then are taken for those (every Moodle request here is answered in well under a second).
        """
        log = self.log("php-server.log")
        deadline = time.monotonic() + timeout
        last_size, last_change = -1, time.monotonic()
        while True:
            with open(log, "rb") as f:
                f.seek(mark)
                text = f.read().decode("utf-8", "replace")
            if len(text) != last_size:
                last_size, last_change = len(text), time.monotonic()
            open_connections = set()
            for line in text.splitlines():
                match = re.search(r"(\d+\.\d+\.\d+\.\d+:\d+) (Accepted|Closing)$", line)
                if match:
                    if match[2] == "Accepted":
                        open_connections.add(match[1])
                    else:
                        open_connections.discard(match[1])
            now = time.monotonic()
            if now - last_change >= (quiet if not open_connections else preconnect):
                return
            if now > deadline:
                raise ProvisioningError(f"php -S still busy after {timeout} s with connections {sorted(open_connections)}:"
                                        f"\n{text[-3000:]}")
            time.sleep(0.05)

    # ---- taking it down ----------------------------------------------------

    def stop(self) -> None:
        if self._server and self._server.poll() is None:
            try:
                os.killpg(self._server.pid, signal.SIGTERM)
                self._server.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self._server.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self._server.wait(timeout=10)
        self._server = None
        if self._pg_started:
            try:
                self._stop_cluster("immediate")
            except ProvisioningError:
                pass
        if self.run_dir and self.run_dir.exists():
            try:
                self._keep_localcache()
            except OSError:
                pass
            try:
                shutil.rmtree(LOG_COPY, ignore_errors=True)
                shutil.copytree(self.run_dir / "logs", LOG_COPY)
            except OSError:
                pass
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None


def _postgres_user() -> str | None:
    """The user that owns the cluster: none (ourselves) unless we are root, who may not run PostgreSQL."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "learnmark-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            pass
    subprocess.run([shutil.which("useradd") or "/usr/sbin/useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                    "/usr/sbin/nologin", "learnmark-pg"], check=True, capture_output=True)
    return "learnmark-pg"


def _not_kept(folder: str, names: list[str]) -> list[str]:
    """What the cached dataroot leaves out: Moodle's caches (built per session), sessions, temporary files."""
    if os.path.basename(folder) == "moodledata":
        return [n for n in names if n in ("cache", "localcache", "sessions", "temp", "trashdir")]
    return []


def _copy_tree(source: Path, target: Path, log: Path, owner: str | None = None) -> None:
    """cp -a (faster than shutil for PostgreSQL's thousands of files), then hands the copy to owner."""
    run_logged(["cp", "-a", str(source), str(target)], log, what=f"copying {source}", timeout=300)
    if owner:
        run_logged(["chown", "-R", owner, str(target)], log, what=f"giving {target} to {owner}", timeout=300)


def _prune(cache: Path, prefix: str, keep: Path) -> None:
    """Removes the cache's other entries of this kind (built from another tarball or another provision.py)."""
    for other in cache.glob(prefix + "*"):
        if other != keep:
            shutil.rmtree(other, ignore_errors=True)
