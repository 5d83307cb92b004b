/* sd-first-frame.c — cold start to the first frame of an X11 app's main window
 *
 * Copyright 2026 SocialDesk developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: sd-first-frame [--timeout SECONDS] [--runs N] [--verbose] -- COMMAND [ARGS...]
 *
 * Each run opens a fresh connection to $DISPLAY, takes a CLOCK_MONOTONIC
 * timestamp, forks and execs COMMAND (with our environment, in a process
 * group of its own) and measures the time until the application first
 * draws into its main window, as reported by the DAMAGE extension.  The
 * child's process group then gets SIGTERM, SIGKILL after 3 seconds, and
 * the child is reaped before the next run.
 *
 * It needs a bare X server without a window manager, such as Xvfb.
 *
 * Which window.  Top-levels are direct children of the root window (nothing
 * reparents them).  A window qualifies as the main window if it is
 * InputOutput, not override-redirect, at least MIN_WIDTH x MIN_HEIGHT and,
 * if it has _NET_WM_PID, that PID is the child or one of its descendants
 * (so COMMAND may be a wrapper such as `dbus-run-session --` or `sh -c`).
 * The first qualifying window to be mapped is the main window.
 *
 * Which damage.  A naive "create the Damage object on MapNotify and wait for
 * the first DamageNotify" does not measure the first frame:
 *
 *  - DamageCreate on a viewable window reports the whole window as damaged
 *    straight away;
 *  - the server itself damages a window while mapping it: it paints the
 *    background if there is one, and GTK 4 windows use a 32-bit ARGB
 *    visual, so the Composite extension redirects them implicitly and
 *    initialises their backing pixmap at map time;
 *  - a frame drawn before the DamageCreate request is processed is missed.
 *
 * On Xvfb with GTK 4 the first two make the naive figure the map time plus
 * a millisecond, while the first frame really comes tens (cairo) to
 * hundreds (GL on llvmpipe) of milliseconds later.  So this tool also
 * selects SubstructureRedirect on the root window, like a minimal window
 * manager: the client's MapWindow on a top-level reaches us as a MapRequest
 * and we carry it out.  For the main window we send, under a server grab,
 * DamageCreate (the window is still unmapped, so this reports nothing),
 * MapWindow, DamageSubtract (drops whatever the map itself damaged and
 * re-arms XDamageReportNonEmpty) and UngrabServer.  Nothing of the client
 * runs between these requests, so every DamageNotify about a paint of the
 * client carries a serial of the UngrabServer or later, and the first such
 * event is the first frame.  Other top-levels are mapped as requested, and
 * ConfigureRequest/CirculateRequest are passed through unchanged.
 *
 * This adds one X round trip (well below a millisecond) to the moment the
 * main window gets mapped.  A frame drawn into the window before it is
 * mapped is never visible and is not counted; the application draws again
 * on Expose.  The MapNotify time (printed with --verbose) is a lower bound
 * of the first frame.  Times are taken when the event is dequeued by this
 * process, so they include the delivery latency of the X server.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xproto.h>
#include <X11/extensions/Xdamage.h>

#define MIN_WIDTH 200
#define MIN_HEIGHT 150
#define DEFAULT_TIMEOUT_S 30.0
#define TERM_GRACE_MS 3000.0
#define POLL_SLICE_MS 50

typedef struct
{
  double timeout_s;
  int runs;
  bool verbose;
  char **command;
} Options;

typedef struct
{
  Display *dpy;
  Window root;
  Atom net_wm_pid;
  int damage_event_base;
  pid_t child;

  Window target;
  Damage damage;
  unsigned long first_serial; /* DamageNotify before this is not the client's */
  double t_map;
  double t_frame;
} Run;

static volatile sig_atomic_t interrupted = 0;
static bool verbose = false;
static bool redirect_denied = false;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void debug (const char *format,
                   ...) __attribute__ ((format (printf, 1, 2)));

static void
debug (const char *format,
       ...)
{
  va_list args;

  if (!verbose)
    return;

  fputs ("sd-first-frame: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
}

static void
on_signal (int signum)
{
  interrupted = signum;
}

/* BadAccess on ChangeWindowAttributes means another client (a window
 * manager) already redirects the root window.  Anything else comes from
 * windows vanishing under our feet and is harmless.
 */
static int
on_x_error (Display     *dpy,
            XErrorEvent *error)
{
  char text[128];

  if (error->error_code == BadAccess && error->request_code == X_ChangeWindowAttributes)
    {
      redirect_denied = true;
      return 0;
    }

  if (verbose)
    {
      XGetErrorText (dpy, error->error_code, text, sizeof text);
      debug ("ignoring X error: %s (request %d.%d, resource 0x%lx)",
             text, error->request_code, error->minor_code, error->resourceid);
    }

  return 0;
}

static void
usage (FILE *stream)
{
  fprintf (stream,
           "Usage: sd-first-frame [--timeout SECONDS] [--runs N] [--verbose] -- COMMAND [ARGS...]\n"
           "\n"
           "Measure the time from spawning COMMAND to the first frame drawn into its\n"
           "main window on $DISPLAY, a bare X server such as Xvfb (no window manager).\n"
           "\n"
           "  --timeout SECONDS  give up on a run after SECONDS (default %g)\n"
           "  --runs N           number of runs (default 1)\n"
           "  --verbose, -v      print details of each run on stderr\n"
           "  --help, -h         show this help\n",
           DEFAULT_TIMEOUT_S);
}

static bool
parse_options (int      argc,
               char   **argv,
               Options *options)
{
  int i;

  options->timeout_s = DEFAULT_TIMEOUT_S;
  options->runs = 1;
  options->verbose = false;
  options->command = NULL;

  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      char *end;

      if (strcmp (arg, "--") == 0)
        {
          options->command = &argv[i + 1];
          break;
        }
      else if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          usage (stdout);
          exit (EXIT_SUCCESS);
        }
      else if (strcmp (arg, "--verbose") == 0 || strcmp (arg, "-v") == 0)
        {
          options->verbose = true;
        }
      else if (strcmp (arg, "--timeout") == 0 && i + 1 < argc)
        {
          errno = 0;
          options->timeout_s = strtod (argv[++i], &end);
          if (errno != 0 || *end != '\0' || !(options->timeout_s > 0))
            {
              fprintf (stderr, "sd-first-frame: invalid timeout '%s'\n", argv[i]);
              return false;
            }
        }
      else if (strcmp (arg, "--runs") == 0 && i + 1 < argc)
        {
          long runs;

          errno = 0;
          runs = strtol (argv[++i], &end, 10);
          if (errno != 0 || *end != '\0' || runs < 1 || runs > 100000)
            {
              fprintf (stderr, "sd-first-frame: invalid number of runs '%s'\n", argv[i]);
              return false;
            }
          options->runs = (int) runs;
        }
      else
        {
          fprintf (stderr, "sd-first-frame: unexpected argument '%s'\n", arg);
          return false;
        }
    }

  if (options->command == NULL || options->command[0] == NULL)
    {
      fprintf (stderr, "sd-first-frame: no command given after '--'\n");
      return false;
    }

  return true;
}

/* Returns the parent PID of @pid from /proc, or -1. */
static pid_t
get_parent_pid (pid_t pid)
{
  char path[64];
  char buf[1024];
  FILE *file;
  size_t len;
  char *p;
  int ppid;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  file = fopen (path, "re");
  if (file == NULL)
    return -1;

  len = fread (buf, 1, sizeof buf - 1, file);
  fclose (file);
  buf[len] = '\0';

  /* The command name may contain spaces and parentheses: skip past the
   * last ')' and then the state field. */
  p = strrchr (buf, ')');
  if (p == NULL || sscanf (p + 1, " %*c %d", &ppid) != 1)
    return -1;

  return (pid_t) ppid;
}

static bool
pid_is_descendant (pid_t pid,
                   pid_t ancestor)
{
  int depth;

  for (depth = 0; depth < 64 && pid > 1; depth++)
    {
      if (pid == ancestor)
        return true;
      pid = get_parent_pid (pid);
    }

  return false;
}

/* Reads _NET_WM_PID; returns false if the property is absent. */
static bool
get_window_pid (Run    *run,
                Window  window,
                pid_t  *pid)
{
  Atom actual_type = None;
  int actual_format = 0;
  unsigned long n_items = 0;
  unsigned long bytes_after = 0;
  unsigned char *data = NULL;
  bool found = false;

  if (XGetWindowProperty (run->dpy, window, run->net_wm_pid, 0, 1, False,
                          XA_CARDINAL, &actual_type, &actual_format,
                          &n_items, &bytes_after, &data) == Success &&
      actual_type == XA_CARDINAL && actual_format == 32 && n_items == 1)
    {
      *pid = (pid_t) *(unsigned long *) data;
      found = true;
    }

  if (data != NULL)
    XFree (data);

  return found;
}

static bool
is_main_window (Run    *run,
                Window  window)
{
  XWindowAttributes attrs;
  pid_t pid;

  if (!XGetWindowAttributes (run->dpy, window, &attrs))
    return false;

  if (attrs.class != InputOutput || attrs.override_redirect)
    return false;

  if (attrs.width < MIN_WIDTH || attrs.height < MIN_HEIGHT)
    {
      debug ("ignoring small window 0x%lx (%dx%d)", window, attrs.width, attrs.height);
      return false;
    }

  if (get_window_pid (run, window, &pid) && !pid_is_descendant (pid, run->child))
    {
      debug ("ignoring window 0x%lx of foreign pid %d", window, (int) pid);
      return false;
    }

  debug ("main window 0x%lx (%dx%d, depth %d)", window, attrs.width, attrs.height, attrs.depth);
  return true;
}

/* Maps the main window so that no damage caused by the server (the
 * creation report, background painting, Composite pixmap setup) can be
 * mistaken for a frame of the client: see the comment at the top.
 */
static void
map_main_window (Run    *run,
                 Window  window)
{
  XGrabServer (run->dpy);
  run->damage = XDamageCreate (run->dpy, window, XDamageReportNonEmpty);
  XMapWindow (run->dpy, window);
  XDamageSubtract (run->dpy, run->damage, None, None);
  run->first_serial = NextRequest (run->dpy);
  XUngrabServer (run->dpy);
  XFlush (run->dpy);

  run->target = window;
}

static void
handle_event (Run    *run,
              XEvent *event)
{
  if (event->type == MapRequest)
    {
      Window window = event->xmaprequest.window;

      if (run->target == None && is_main_window (run, window))
        map_main_window (run, window);
      else
        XMapWindow (run->dpy, window);
    }
  else if (event->type == ConfigureRequest)
    {
      XConfigureRequestEvent *request = &event->xconfigurerequest;
      XWindowChanges changes = {
        .x = request->x,
        .y = request->y,
        .width = request->width,
        .height = request->height,
        .border_width = request->border_width,
        .sibling = request->above,
        .stack_mode = request->detail,
      };

      XConfigureWindow (run->dpy, request->window, request->value_mask, &changes);
    }
  else if (event->type == CirculateRequest)
    {
      if (event->xcirculaterequest.place == PlaceOnTop)
        XRaiseWindow (run->dpy, event->xcirculaterequest.window);
      else
        XLowerWindow (run->dpy, event->xcirculaterequest.window);
    }
  else if (event->type == MapNotify)
    {
      if (event->xmap.window == run->target && run->target != None)
        run->t_map = now_ms ();
    }
  else if (event->type == DestroyNotify)
    {
      if (event->xdestroywindow.window == run->target && run->target != None)
        {
          debug ("main window 0x%lx destroyed before its first frame", run->target);
          run->target = None;
          run->damage = None;
        }
    }
  else if (event->type == run->damage_event_base + XDamageNotify)
    {
      XDamageNotifyEvent *notify = (XDamageNotifyEvent *) event;
      double t = now_ms ();

      if (run->target == None || notify->damage != run->damage)
        return;

      if (notify->serial < run->first_serial)
        {
          debug ("ignoring damage done by the X server while mapping");
          return;
        }

      run->t_frame = t;
    }
}

/* Forks and execs @command in a new process group.  A close-on-exec pipe
 * reports exec failures back to us.
 */
static pid_t
spawn_child (char **command)
{
  int fds[2];
  pid_t pid;
  int child_errno = 0;
  ssize_t n;

  if (pipe2 (fds, O_CLOEXEC) < 0)
    {
      perror ("sd-first-frame: pipe2");
      return -1;
    }

  pid = fork ();
  if (pid < 0)
    {
      perror ("sd-first-frame: fork");
      close (fds[0]);
      close (fds[1]);
      return -1;
    }

  if (pid == 0)
    {
      sigset_t mask;

      close (fds[0]);
      setpgid (0, 0);
      signal (SIGINT, SIG_DFL);
      signal (SIGTERM, SIG_DFL);
      signal (SIGHUP, SIG_DFL);
      signal (SIGPIPE, SIG_DFL);
      sigemptyset (&mask);
      sigprocmask (SIG_SETMASK, &mask, NULL);

      execvp (command[0], command);

      child_errno = errno;
      n = write (fds[1], &child_errno, sizeof child_errno);
      _exit (127);
    }

  setpgid (pid, pid); /* also done in the child; avoids a race */
  close (fds[1]);

  do
    n = read (fds[0], &child_errno, sizeof child_errno);
  while (n < 0 && errno == EINTR);
  close (fds[0]);

  if (n > 0)
    {
      fprintf (stderr, "sd-first-frame: cannot execute '%s': %s\n",
               command[0], strerror (child_errno));
      waitpid (pid, NULL, 0);
      return -1;
    }

  return pid;
}

/* SIGTERM to the child's process group, SIGKILL after TERM_GRACE_MS,
 * then reap the child.  @pid may already have exited but not been reaped.
 */
static void
terminate_child (pid_t pid)
{
  double deadline = now_ms () + TERM_GRACE_MS;
  int status;

  kill (-pid, SIGTERM);

  while (waitpid (pid, &status, WNOHANG) == 0)
    {
      if (now_ms () >= deadline)
        {
          debug ("child %d did not exit after SIGTERM, sending SIGKILL", (int) pid);
          kill (-pid, SIGKILL);
          while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
            ;
          break;
        }
      usleep (10 * 1000);
    }

  /* Take down whatever is left in the group (e.g. a session bus). */
  kill (-pid, SIGKILL);
}

static Display *
open_display (Run *run)
{
  Display *dpy;
  int error_base, major, minor;

  dpy = XOpenDisplay (NULL);
  if (dpy == NULL)
    {
      fprintf (stderr, "sd-first-frame: cannot open display '%s'\n",
               XDisplayName (NULL));
      return NULL;
    }

  if (!XDamageQueryExtension (dpy, &run->damage_event_base, &error_base) ||
      !XDamageQueryVersion (dpy, &major, &minor))
    {
      fprintf (stderr, "sd-first-frame: the X server lacks the DAMAGE extension\n");
      XCloseDisplay (dpy);
      return NULL;
    }

  run->dpy = dpy;
  run->root = DefaultRootWindow (dpy);
  run->net_wm_pid = XInternAtom (dpy, "_NET_WM_PID", False);

  fcntl (ConnectionNumber (dpy), F_SETFD, FD_CLOEXEC);

  redirect_denied = false;
  XSelectInput (dpy, run->root, SubstructureRedirectMask | SubstructureNotifyMask);
  XSync (dpy, True);

  if (redirect_denied)
    {
      fprintf (stderr,
               "sd-first-frame: another client (a window manager?) redirects the root window;\n"
               "sd-first-frame: run on a bare X server such as Xvfb\n");
      XCloseDisplay (dpy);
      return NULL;
    }

  return dpy;
}

/* Returns 0 and sets @result_ms on success, 1 on failure. */
static int
measure_once (const Options *options,
              int            index,
              double        *result_ms)
{
  Run run = { 0 };
  double t_start, deadline;
  const char *failure = NULL;
  int fd;

  run.t_frame = -1;

  if (open_display (&run) == NULL)
    return 1;

  fd = ConnectionNumber (run.dpy);

  t_start = now_ms ();
  deadline = t_start + options->timeout_s * 1000.0;

  run.child = spawn_child (options->command);
  if (run.child < 0)
    {
      XCloseDisplay (run.dpy);
      return 1;
    }

  while (run.t_frame < 0)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      double remaining;
      int status;

      while (run.t_frame < 0 && XPending (run.dpy) > 0)
        {
          XEvent event;

          XNextEvent (run.dpy, &event);
          handle_event (&run, &event);
        }

      if (run.t_frame >= 0)
        break;

      if (interrupted)
        {
          failure = "interrupted";
          break;
        }

      if (waitpid (run.child, &status, WNOHANG) == run.child)
        {
          fprintf (stderr, "sd-first-frame: '%s' exited (%s %d) before drawing a window\n",
                   options->command[0],
                   WIFEXITED (status) ? "status" : "signal",
                   WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
          kill (-run.child, SIGKILL);
          XCloseDisplay (run.dpy);
          return 1;
        }

      remaining = deadline - now_ms ();
      if (remaining <= 0)
        {
          failure = run.target == None ? "a main window to be mapped" : "the first frame";
          break;
        }

      if (poll (&pfd, 1, remaining < POLL_SLICE_MS ? (int) remaining + 1 : POLL_SLICE_MS) < 0 &&
          errno != EINTR)
        {
          perror ("sd-first-frame: poll");
          failure = "the X connection";
          break;
        }
    }

  if (failure == NULL)
    {
      *result_ms = run.t_frame - t_start;
      debug ("run %d: pid %d, window 0x%lx, mapped at %.2f ms, first frame at %.2f ms",
             index + 1, (int) run.child, run.target,
             run.t_map - t_start, run.t_frame - t_start);
    }
  else if (!interrupted)
    {
      fprintf (stderr, "sd-first-frame: run %d timed out after %g s waiting for %s\n",
               index + 1, options->timeout_s, failure);
    }

  terminate_child (run.child);
  XCloseDisplay (run.dpy);

  return failure == NULL ? 0 : 1;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  Options options;
  struct sigaction action = { 0 };
  double *results;
  double median;
  int i;

  if (!parse_options (argc, argv, &options))
    {
      usage (stderr);
      return EXIT_FAILURE;
    }

  verbose = options.verbose;

  action.sa_handler = on_signal;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGHUP, &action, NULL);
  sigaction (SIGPIPE, &action, NULL);

  XSetErrorHandler (on_x_error);

  results = calloc (options.runs, sizeof *results);
  if (results == NULL)
    return EXIT_FAILURE;

  for (i = 0; i < options.runs; i++)
    {
      if (measure_once (&options, i, &results[i]) != 0)
        {
          free (results);
          return interrupted ? 128 + interrupted : EXIT_FAILURE;
        }

      printf ("first-frame-ms: %.2f\n", results[i]);
      fflush (stdout);
    }

  qsort (results, options.runs, sizeof *results, compare_doubles);

  if (options.runs % 2 == 1)
    median = results[options.runs / 2];
  else
    median = (results[options.runs / 2 - 1] + results[options.runs / 2]) / 2.0;

  printf ("first-frame-ms median: %.2f min: %.2f max: %.2f (%d runs)\n",
          median, results[0], results[options.runs - 1], options.runs);

  free (results);
  return EXIT_SUCCESS;
}
