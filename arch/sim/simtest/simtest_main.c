// SPDX-License-Identifier: GPL-2.0
/*
 * simtest: runs the simulation tests and prints TAP.
 *
 *   simtest --tap [--soak] [--only a,b] [--seeds N] [--jobs J]
 *   simtest --only NAME --seed S --replay     one seed, in process, full trace
 *   simtest --list
 *   simtest --inject a,b ...                  with fault-injection switches on
 *                                             (hyp/inject.h; per run, so per
 *                                             scenario with --only)
 *
 * Every seed of every test runs in a forked child (a violation or a crash
 * ends only that child). A test fails at its first failing seed (the lowest
 * one, whatever the parallelism), and prints that seed's report and the
 * command line replaying it.
 */
#include "simtest.h"
#include <hyp/arch.h>
#include <hyp/inject.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TESTS	64

static const struct simtest *tests[MAX_TESTS];
static unsigned int nr_tests;
extern const char *sim_replay_hint;

void simtest_register(const struct simtest *t)
{
	if (nr_tests < MAX_TESTS)
		tests[nr_tests++] = t;
}

void simtest_log(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void sim_barrier_wait(struct sim_barrier *b, unsigned int n)
{
	unsigned int gen = b->gen;

	if (++b->count == n) {
		b->count = 0;
		b->gen++;
		return;
	}
	while (b->gen == gen)
		arch_cpu_relax();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned int timeout_s = 60;
static bool all_seeds;			/* keep going after a failing seed */
static char *excl_buf;			/* "--exclude-seeds": lines "name seed" */

static bool excluded(const char *name, u64 seed)
{
	char key[160];

	if (!excl_buf)
		return false;
	snprintf(key, sizeof(key), "\n%s %llu\n", name, seed);
	return strstr(excl_buf, key) != NULL;
}
static const char *prog;
static unsigned int jobs = 2;

static void on_alarm(int sig)
{
	static const char msg[] = "\n# VIOLATION TIMEOUT: the run did not finish in time "
				  "(host-side hang)\n";
	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

/* Run one seed of one test in this process. Returns its exit status. */
static int run_seed(const struct simtest *t, u64 idx, bool verbose)
{
	u64 seed = t->seed_list && idx < t->seeds ? t->seed_list[idx] : idx;
	struct sim_config cfg = { .seed = seed, .verbose = verbose };
	int ret;

	if (t->setup)
		t->setup(seed, &cfg);
	cfg.seed = seed;
	cfg.verbose = verbose;
	simtest_install_segv();
	if (sim_init(&cfg)) {
		printf("# sim_init failed\n");
		return 2;
	}
	ret = t->run(seed);
	if (verbose)
		printf("# seed %llu: %s after %llu steps (%llu switches, %llu spec walks, "
		       "%llu fills, %llu invalidations)\n", seed, ret ? "FAILED" : "passed",
		       sim_stats.steps, sim_stats.switches, sim_stats.spec_walks,
		       sim_stats.fills_tlb + sim_stats.fills_wc, sim_stats.inval_issued);
	/* Determinism digest (compared by the replay test). */
	printf("# digest %llu %llu %llu %llu\n", sim_stats.steps, sim_stats.switches,
	       sim_stats.fills_tlb + sim_stats.fills_wc, sim_stats.inval_done);
	return ret ? 1 : 0;
}

struct child {
	pid_t pid;
	u64 seed;
	int fd;
};

static int spawn(const struct simtest *t, u64 seed, struct child *ch)
{
	char path[] = "/tmp/simtest.XXXXXX";
	int fd = mkstemp(path);
	pid_t pid;

	if (fd < 0)
		return -1;
	unlink(path);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		static char hint[256];

		snprintf(hint, sizeof(hint), "%s --only %s", prog, t->name);
		sim_replay_hint = hint;
		dup2(fd, 1);
		dup2(fd, 2);
		signal(SIGALRM, on_alarm);
		alarm(timeout_s);
		_exit(run_seed(t, seed, false));
	}
	ch->pid = pid;
	ch->seed = seed;
	ch->fd = fd;
	return 0;
}

/* The tail of a failed child's output, as TAP diagnostics. */
static void show_output(int fd, unsigned int max_lines)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf, *p, *line;
	unsigned int lines = 0;

	if (size <= 0)
		return;
	buf = malloc((size_t)size + 1);
	if (!buf || pread(fd, buf, (size_t)size, 0) != size) {
		free(buf);
		return;
	}
	buf[size] = 0;
	for (p = buf + size; p > buf; p--)
		if (p[-1] == '\n' && ++lines > max_lines)
			break;
	for (line = strtok(p, "\n"); line; line = strtok(NULL, "\n"))
		printf("%s%s\n", line[0] == '#' ? "" : "# ", line);
	free(buf);
}

static bool output_has(int fd, const char *needle)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf;
	bool found;

	if (size <= 0)
		return false;
	buf = malloc((size_t)size + 1);
	if (!buf || pread(fd, buf, (size_t)size, 0) != size) {
		free(buf);
		return false;
	}
	buf[size] = 0;
	found = strstr(buf, needle) != NULL;
	free(buf);
	return found;
}


/*
 * Run seeds [0, n) of t with `jobs` children at once. Returns true if the
 * test passed. On failure prints the lowest failing seed's report.
 */
static bool run_test(const struct simtest *t, unsigned int n, unsigned int tapno, bool tap)
{
	struct child ch[16];
	unsigned int running = 0, next = 0, detected = 0, nexcl = 0, nfail = 0;
	static char failing[4096];
	size_t flen = 0;
	u64 fail_seed = ~0ULL;
	int fail_fd = -1;
	double t0 = now();
	char needle[48];
	bool ok;

	if (t->expect)
		snprintf(needle, sizeof(needle), "VIOLATION %s ", t->expect);
	while (next < n || running) {
		while (running < jobs && next < n && (fail_seed == ~0ULL || all_seeds) &&
		       !(t->expect && detected)) {
			if (excluded(t->name, next)) {
				next++;
				nexcl++;
				continue;
			}
			if (spawn(t, next, &ch[running]) == 0)
				running++;
			next++;
		}
		if (!running)
			break;
		int status;
		pid_t pid = wait(&status);

		for (unsigned int i = 0; i < running; i++) {
			if (ch[i].pid != pid)
				continue;
			bool failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;

			if (t->expect) {
				if (failed && output_has(ch[i].fd, needle)) {
					detected++;
					if (ch[i].seed < fail_seed) {
						if (fail_fd >= 0)
							close(fail_fd);
						fail_seed = ch[i].seed;
						fail_fd = ch[i].fd;
						ch[i].fd = -1;
					}
				} else if (failed && fail_fd < 0) {
					/* a different failure: show it */
					printf("# seed %llu failed unexpectedly:\n", ch[i].seed);
					show_output(ch[i].fd, 30);
				}
			} else if (failed && all_seeds && flen + 24 < sizeof(failing)) {
				flen += (size_t)snprintf(failing + flen, sizeof(failing) - flen,
							 " %llu", ch[i].seed);
				nfail++;
			}
			if (t->expect) {
			} else if (failed && ch[i].seed < fail_seed) {
				if (fail_fd >= 0)
					close(fail_fd);
				fail_seed = ch[i].seed;
				fail_fd = ch[i].fd;
				ch[i].fd = -1;
				if (WIFSIGNALED(status))
					printf("# seed %llu: killed by signal %d\n", ch[i].seed,
					       WTERMSIG(status));
			}
			if (ch[i].fd >= 0)
				close(ch[i].fd);
			ch[i] = ch[--running];
			break;
		}
	}
	if (all_seeds && nfail)
		printf("# failing-seeds %s%s\n", t->name, failing);
	if (nexcl)
		printf("# %u seeds skipped (--exclude-seeds)\n", nexcl);
	flen = 0;
	if (t->expect)
		ok = detected > 0;
	else
		ok = fail_seed == ~0ULL;
	if (!t->expect && !ok) {
		show_output(fail_fd, 120);
		printf("# FAILED at seed %llu; replay: %s --only %s --seed %llu --replay\n",
		       fail_seed, prog, t->name, fail_seed);
	}
	if (t->expect && ok)
		printf("# negative control: %s detected at seed %llu\n", t->expect, fail_seed);
	if (fail_fd >= 0)
		close(fail_fd);
	if (tap)
		printf("%sok %u - %s (%u seeds, %.1f s)%s\n", ok ? "" : "not ", tapno, t->name,
		       t->expect ? (next) : n, now() - t0,
		       t->expect ? " [model self-check: must detect]" : "");
	else
		printf("%s: %s in %.1f s%s\n", t->name, ok ? "pass" : "FAIL", now() - t0,
		       ok || t->expect ? "" : "");
	fflush(stdout);
	return ok;
}

static bool selected(const char *only, const char *name)
{
	const char *p = only;
	size_t len = strlen(name);

	if (!only)
		return true;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t l = comma ? (size_t)(comma - p) : strlen(p);

		if (l == len && !strncmp(p, name, l))
			return true;
		/* prefix match with a trailing '*' */
		if (l && p[l - 1] == '*' && !strncmp(p, name, l - 1))
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

/* Model self-checks first, then the seed scenarios, the focused ones, random. */
static int rank(const char *name)
{
	if (!strncmp(name, "model-", 6))
		return 0;
	if (!strncmp(name, "seed", 4))
		return 1;
	if (!strncmp(name, "random", 6))
		return 3;
	return 2;
}

static int cmp_tests(const void *a, const void *b)
{
	const char *x = (*(const struct simtest *const *)a)->name;
	const char *y = (*(const struct simtest *const *)b)->name;

	return rank(x) != rank(y) ? rank(x) - rank(y) : strcmp(x, y);
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	bool tap = false, soak = false, replay = false, list = false, stop_first = false;
	long long seed = -1, seeds = -1;
	unsigned int failed = 0, n = 0;
	char hint[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	prog = argv[0];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tap"))
			tap = true;
		else if (!strcmp(argv[i], "--soak"))
			soak = true;
		else if (!strcmp(argv[i], "--replay"))
			replay = true;
		else if (!strcmp(argv[i], "--all-seeds"))
			all_seeds = true;
		else if (!strcmp(argv[i], "--exclude-seeds") && i + 1 < argc) {
			FILE *f = fopen(argv[++i], "r");

			if (f) {
				excl_buf = calloc(1, 1 << 20);
				excl_buf[0] = '\n';
				size_t got = fread(excl_buf + 1, 1, (1 << 20) - 2, f);

				excl_buf[got + 1] = 0;
				fclose(f);
			}
		} else if (!strcmp(argv[i], "--stop-first"))
			stop_first = true;
		else if (!strcmp(argv[i], "--list"))
			list = true;
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = atoll(argv[++i]);
		else if (!strcmp(argv[i], "--seeds") && i + 1 < argc)
			seeds = atoll(argv[++i]);
		else if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
			jobs = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout_s = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--inject") && i + 1 < argc) {
			static char prog_inject[512];

			/* Before any fork: every seed's child inherits the switches. */
			if (inject_parse(argv[i + 1], strlen(argv[i + 1])) < 0) {
				fprintf(stderr, "%s: --inject %s refused\n", argv[0], argv[i + 1]);
				return 2;
			}
			/* Replay hints name the switches too. */
			snprintf(prog_inject, sizeof(prog_inject), "%s --inject %s", prog, argv[++i]);
			prog = prog_inject;
		} else {
			fprintf(stderr, "usage: %s [--tap] [--soak] [--list] [--only a,b*] "
				"[--seed S [--replay]] [--seeds N] [--jobs J] [--timeout S] "
				"[--inject sw,sw]\n",
				argv[0]);
			return 2;
		}
	}
	if (!jobs || jobs > 16)
		jobs = 2;
	if (soak)
		timeout_s *= 4;
	qsort(tests, nr_tests, sizeof(tests[0]), cmp_tests);
	if (list) {
		for (unsigned int i = 0; i < nr_tests; i++)
			printf("%-40s %4u seeds  %s%s\n", tests[i]->name, tests[i]->seeds,
			       tests[i]->what, tests[i]->expect ? " [negative control]" : "");
		return 0;
	}
	if (seed >= 0) {
		/* One seed of each selected test, in process (replay). */
		int st = 0;

		for (unsigned int i = 0; i < nr_tests; i++) {
			if (!selected(only, tests[i]->name))
				continue;
			snprintf(hint, sizeof(hint), "%s --only %s", prog, tests[i]->name);
			sim_replay_hint = hint;
			printf("# %s seed %lld%s\n", tests[i]->name, seed, replay ? " (replay)" : "");
			if (replay) {
				/* its own process: the model's state is per process */
				pid_t pid;
				int status;

				fflush(stdout);
				pid = fork();
				if (pid == 0)
					_exit(run_seed(tests[i], (u64)seed, true));
				waitpid(pid, &status, 0);
				st |= !WIFEXITED(status) || WEXITSTATUS(status);
			} else {
				struct child ch;
				int status;

				if (spawn(tests[i], (u64)seed, &ch))
					return 2;
				waitpid(ch.pid, &status, 0);
				show_output(ch.fd, 200);
				st |= !WIFEXITED(status) || WEXITSTATUS(status);
			}
		}
		return st;
	}
	for (unsigned int i = 0; i < nr_tests; i++) {
		const struct simtest *t = tests[i];
		unsigned int ns;

		if (!selected(only, t->name))
			continue;
		ns = seeds > 0 ? (unsigned int)seeds : soak ? t->soak_seeds : t->seeds;
		if (!run_test(t, ns, ++n, tap)) {
			failed++;
			if (stop_first)
				break;
		}
	}
	if (!only && seed < 0) {
		/* Replay determinism: the same seed twice gives the same run. */
		const struct simtest *t = NULL;
		char *out[2] = { NULL, NULL };
		bool same = false;

		for (unsigned int i = 0; i < nr_tests; i++)
			if (!strcmp(tests[i]->name, "random-mix-arm64"))
				t = tests[i];
		for (int r = 0; t && r < 2; r++) {
			struct child ch;
			int status;
			off_t size;

			if (spawn(t, 7, &ch))
				break;
			waitpid(ch.pid, &status, 0);
			size = lseek(ch.fd, 0, SEEK_END);
			out[r] = calloc(1, (size_t)size + 1);
			if (out[r] && pread(ch.fd, out[r], (size_t)size, 0) != size)
				out[r][0] = 0;
			close(ch.fd);
		}
		same = out[0] && out[1] && strstr(out[0], "# digest") && !strcmp(out[0], out[1]);
		if (!same)
			failed++;
		n++;
		if (tap)
			printf("%sok %u - replay-determinism (random-mix-arm64 seed 7 twice: "
			       "identical output)\n", same ? "" : "not ", n);
		free(out[0]);
		free(out[1]);
	}
	if (tap)
		printf("1..%u\n", n);
	printf("# simtest: %u passed, %u failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
