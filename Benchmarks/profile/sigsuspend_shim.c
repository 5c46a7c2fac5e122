/* Preloaded into ThingBridge under valgrind only (Benchmarks/profile/instructions).
 *
 * When Swift's async main hands the main thread to libdispatch, libdispatch parks it in
 * sigsuspend() with a mask that lives in read-only memory. Valgrind 3.19 (Debian 12) edits the
 * mask in place before the real system call and dies with SIGSEGV inside valgrind itself
 * ("the 'impossible' happened", thread 1 in syscall 130). Passing a writable copy of the mask
 * changes nothing else. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>

int sigsuspend(const sigset_t *mask) {
    static int (*real_sigsuspend)(const sigset_t *);
    if (!real_sigsuspend) {
        real_sigsuspend = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    }
    sigset_t copy = *mask;
    return real_sigsuspend(&copy);
}
