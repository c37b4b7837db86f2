/*
 * steep-guard PARENT-PID PROGRAM [ARG...]
 *
 * Runs PROGRAM so that it cannot outlive the steep process PARENT-PID that started it, however steep ends (kill -9
 * of its pid or of its whole process group included): steep starts every service through this guard, in a process
 * group of its own whose leader is the guard. The guard asks the kernel for a signal when its parent dies
 * (PR_SET_PDEATHSIG, which posix_spawn cannot set itself), forks PROGRAM into the same group and waits; when the
 * signal comes and the parent really is gone, it kills the whole group, itself included, so the service and every
 * child it left in its group end within milliseconds. Otherwise it exits as PROGRAM exited (the same code, or the
 * same signal), so for steep the guard is invisible.
 *
 * Why a guard process and not something else: a pdeathsig must be set between fork and exec, which .NET cannot do
 * safely and posix_spawn has no attribute for; a cgroup would need a delegated cgroup tree that containers and CI
 * machines often do not give; a PID namespace needs user namespaces, which are often disabled. A guard needs nothing
 * but a C compiler at build time, costs one extra exec per service, and keeps the group-kill semantics steep's
 * cancellation already has (kill the group of the pid it spawned).
 *
 * The kernel sends the pdeathsig when the *thread* that spawned the guard exits, not the process, and .NET retires
 * idle thread-pool threads; so a signal while getppid() is still PARENT-PID is ignored (the guard was merely handed
 * to another thread of steep, and the signal comes again when that one ends).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PARENT_DIED SIGUSR1

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: steep-guard PARENT-PID PROGRAM [ARG...]\n");
        return 127;
    }
    pid_t parent = (pid_t)strtol(argv[1], NULL, 10);

    sigset_t handled, original;
    sigemptyset(&handled);
    sigaddset(&handled, SIGCHLD);
    sigaddset(&handled, PARENT_DIED);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGINT);
    sigaddset(&handled, SIGHUP);
    sigprocmask(SIG_BLOCK, &handled, &original);

    if (prctl(PR_SET_PDEATHSIG, PARENT_DIED) != 0) {
        fprintf(stderr, "steep-guard: prctl(PR_SET_PDEATHSIG): %s\n", strerror(errno));
        return 127;
    }
    if (getppid() != parent) return 128 + SIGKILL; /* steep died before the request took effect: start nothing */

    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "steep-guard: cannot start %s: %s\n", argv[2], strerror(errno));
        return 127;
    }
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &original, NULL);
        execv(argv[2], argv + 2);
        fprintf(stderr, "steep-guard: cannot start %s: %s\n", argv[2], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }

    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&handled, &info);
        if (sig < 0) continue; /* EINTR */
        if (sig == PARENT_DIED) {
            if (getppid() != parent) kill(0, SIGKILL); /* the whole group, the guard last */
            continue;
        }
        if (sig != SIGCHLD) {
            kill(child, sig); /* a polite stop for the group leader's own program */
            continue;
        }
        int status;
        pid_t done;
        while ((done = waitpid(-1, &status, WNOHANG)) > 0) {
            if (done != child) continue;
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            if (WIFSIGNALED(status)) {
                /* end the same way, so that steep sees the same wait status as without the guard */
                int s = WTERMSIG(status);
                signal(s, SIG_DFL);
                sigset_t only;
                sigemptyset(&only);
                sigaddset(&only, s);
                sigprocmask(SIG_UNBLOCK, &only, NULL);
                kill(getpid(), s);
                return 128 + s;
            }
        }
    }
}
