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
 *
 * A service started in the moment before steep died has no "+" line yet (steep registers it right after the spawn).
 * So steep also puts a mark in the environment of everything it starts, STEEP_SERVICE_OF=TOKEN (TOKEN, unique per steep
 * process, is this program's first argument), and at end-of-file the watchdog kills every process whose environment
 * carries the mark, and its group. That catches every late one: the pipe's write end stays open in a child until its
 * exec (it is close-on-exec), so end-of-file comes only after the last child has exec'd with the mark. The scan repeats
 * until it finds nothing, for children that a marked process forked meanwhile.
 */
#define _GNU_SOURCE
#include <dirent.h>
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

/* true when the environment of pid holds the entry mark ("STEEP_SERVICE_OF=TOKEN") */
static int marked(long pid, const char *mark, size_t mark_length)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/environ", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0; /* gone, or another user's */
    static char *buffer;
    static size_t capacity;
    size_t n = 0;
    for (;;) {
        if (n + 1 >= capacity) {
            size_t bigger = capacity ? capacity * 2 : 65536;
            char *b = realloc(buffer, bigger);
            if (!b) { fclose(f); return 0; }
            buffer = b;
            capacity = bigger;
        }
        size_t got = fread(buffer + n, 1, capacity - n - 1, f);
        if (got == 0) break;
        n += got;
    }
    fclose(f);
    buffer[n] = 0;
    /* entries are NUL-terminated: a match must start an entry and end at its NUL */
    for (size_t at = 0; at < n; at += strlen(buffer + at) + 1) {
        if (strlen(buffer + at) == mark_length && memcmp(buffer + at, mark, mark_length) == 0) return 1;
    }
    return 0;
}

/* kills every process (and the group it leads) whose environment carries mark; returns how many it found */
static int kill_marked(const char *mark)
{
    size_t mark_length = strlen(mark);
    long self = (long)getpid();
    int found = 0;
    DIR *proc = opendir("/proc");
    if (!proc) return 0;
    struct dirent *entry;
    while ((entry = readdir(proc))) {
        char *end;
        long pid = strtol(entry->d_name, &end, 10);
        if (*end || pid <= 1 || pid == self || !marked(pid, mark, mark_length)) continue;
        found++;
        if (getpgid((pid_t)pid) == (pid_t)pid) kill((pid_t)-pid, SIGKILL);
        kill((pid_t)pid, SIGKILL);
    }
    closedir(proc);
    return found;
}

int main(int argc, char **argv)
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
    if (argc > 1 && argv[1][0]) {
        char mark[256];
        snprintf(mark, sizeof mark, "STEEP_SERVICE_OF=%s", argv[1]);
        /* a killed process keeps its environment until it is reaped: bounded, not until none is found */
        for (int round = 0; round < 20 && kill_marked(mark) > 0; round++) usleep(10000);
    }
    return 0;
}
