/*
 * steep-watchdog: kills the services of a steep process as soon as that process ends, however it ends.
 *
 * steep starts one watchdog and keeps the write end of a pipe to its stdin; it writes "+PID START" when it has
 * started a service (PID leads a process group of its own; START is field 22 of /proc/PID/stat) and "-PID" when the
 * service has ended. When steep ends (exit, crash, kill -9 of its pid or of its whole process group) the kernel
 * closes the pipe and the watchdog reads end-of-file: it kills the process group of every service still listed,
 * then exits. The watchdog runs in a session of its own, so that a signal to steep's process group does not reach it.
 *
 * Why a watchdog process: services must not outlive steep (a restarted steep would run their chains a second time
 * while they still run), a service's children included. PR_SET_PDEATHSIG would have to be set between fork and exec
 * (posix_spawn cannot, .NET must not fork), reaches only the service itself and not the children it starts, and
 * fires when the *thread* that started the service ends; a guard process per service doubles the cost of every
 * start; cgroups and PID namespaces need privileges many machines (containers, CI) do not give. A pipe's end-of-file
 * needs nothing, costs steep two short writes per service, and is certain: the kernel closes the pipe of a dead
 * process in every case.
 *
 * Before killing, the watchdog checks that PID still names the recorded process (same start time): a pid the kernel
 * gave to another process meanwhile is left alone. A group whose leader has gone is killed by its id: the kernel does
 * not reuse a pid while a process group still carries it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct service { long pid; unsigned long long start; };

static struct service *services;
static size_t count, capacity;

/* the start time of pid (field 22 of /proc/pid/stat), or 0 when it cannot be read (the process is gone) */
static unsigned long long start_time(long pid)
{
    char path[64], buffer[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buffer, 1, sizeof buffer - 1, f);
    fclose(f);
    buffer[n] = 0;
    char *p = strrchr(buffer, ')'); /* the command name may contain spaces and parentheses */
    if (!p) return 0;
    p++;
    for (int field = 3; field < 22 && p; field++) p = strchr(p + 1, ' ');
    return p ? strtoull(p + 1, NULL, 10) : 0;
}

int main(void)
{
    setsid();
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    char line[128];
    while (fgets(line, sizeof line, stdin)) {
        if (line[0] == '+') {
            struct service s = { 0, 0 };
            if (sscanf(line + 1, "%ld %llu", &s.pid, &s.start) != 2 || s.pid <= 1) continue;
            if (count == capacity) {
                capacity = capacity ? capacity * 2 : 64;
                services = realloc(services, capacity * sizeof *services);
                if (!services) return 1;
            }
            services[count++] = s;
        } else if (line[0] == '-') {
            long pid = strtol(line + 1, NULL, 10);
            /* only as many services as agents run at once: a linear search is the fastest there is */
            for (size_t i = 0; i < count; i++) {
                if (services[i].pid == pid) {
                    services[i] = services[--count];
                    break;
                }
            }
        }
    }
    for (size_t i = 0; i < count; i++) {
        unsigned long long now = start_time(services[i].pid);
        if (now != 0 && now != services[i].start) continue; /* the pid names another process now */
        kill((pid_t)-services[i].pid, SIGKILL);
        if (now != 0) kill((pid_t)services[i].pid, SIGKILL); /* a leader that is not a group leader */
    }
    return 0;
}
