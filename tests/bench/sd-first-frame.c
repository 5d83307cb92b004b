/* sd-first-frame.c — measure cold start to the first frame of an X11 app's main window
 *
 * Copyright 2024 The SocialDesk Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: sd-first-frame [--timeout SECONDS] [--runs N] [--verbose] -- COMMAND [ARGS...]
 *
 * For every run the tool opens a fresh connection to $DISPLAY, listens for
 * SubstructureNotify on the root window, takes a CLOCK_MONOTONIC timestamp
 * and then forks and execs COMMAND (inheriting our environment) in its own
 * process group.  It measures the time until the first DamageNotify on the
 * first top-level window of that child which gets mapped, i.e. until the
 * application first draws into its main window.
 *
 * Window selection.  No window manager is expected (bare Xvfb), so
 * top-levels are direct children of the root window and MapNotify is seen
 * through SubstructureNotify on the root.  Override-redirect windows
 * (menus, tooltips, drag icons) are ignored.  A mapped window is accepted
 * when it is InputOutput and at least MIN_WIDTH x MIN_HEIGHT.  If it carries
 * _NET_WM_PID, that PID must be the child or one of its descendants
 * (looked up in /proc), so wrappers such as `dbus-run-session --` or
 * `sh -c` in front of the application work.
 *
 * Catching the first paint.  DamageCreate on a window that is already
 * viewable immediately reports the whole visible window as damaged (the
 * server does that for every new Damage object), so a naive "create the
 * Damage object on MapNotify and wait for DamageNotify" reports the map
 * time, not a frame.  And a paint that reaches the server before our
 * DamageCreate is not seen at all.  Therefore:
 *
 *  - the Damage object is created as early as possible: on CreateNotify of
 *    every non-override-redirect top-level, normally long before the client
 *    maps it (GTK realizes its window before mapping and first painting
 *    it); it is created on MapNotify only if the CreateNotify was missed;
 *  - DamageCreate and an immediate DamageSubtract are sent inside a server
 *    grab, and DamageNotify events whose serial precedes the ungrab are
 *    dropped: that is the report of the creation itself, not a paint;
 *  - drawing to an unmapped window is clipped away and GTK creates its
 *    windows with background None, so nothing is damaged between creation
 *    and the client's first frame.
 *
 * If the window was already mapped when our DamageCreate ran (its
 * MapNotify serial precedes the DamageCreate; e.g. the client created,
 * mapped and painted in one batch of requests), a paint done before that
 * is lost and a later frame may be reported: the figure is then an upper
 * bound, and --verbose says so.  In every case the MapNotify time (printed
 * with --verbose) is a lower bound of the first frame.
 *
 * Times are taken when the event is dequeued by this process, so they
 * include the latency of the X server delivering the event to us (well
 * below a millisecond on a local connection).
 *
 * After each run the process group of the child receives SIGTERM, then
 * SIGKILL if the child has not exited within 3 seconds, and the child is
 * reaped before the next run starts.
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
  Window window;
  Damage damage;
  unsigned long create_serial; /* serial of the DamageCreate request */
  unsigned long first_serial;  /* DamageNotify before this: creation report */
} Candidate;

typedef struct
{
  Display *dpy;
  Window root;
  Atom net_wm_pid;
  int damage_event_base;
  pid_t child;

  Candidate *candidates;
  size_t n_candidates;
  size_t n_allocated;

  Candidate *target; /* points into candidates */
  bool mapped_before_damage;
  double t_map;
  double t_frame;
} Run;

static volatile sig_atomic_t interrupted = 0;
static bool verbose = false;

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

/* Windows may disappear between an event and our request about them;
 * such errors (BadWindow, BadDrawable, BadDamage, ...) are harmless.
 */
static int
on_x_error (Display     *dpy,
            XErrorEvent *error)
{
  char text[128];

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
           "first mapped top-level window on $DISPLAY (X11, XDamage).\n"
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

  debug ("main window 0x%lx (%dx%d)", window, attrs.width, attrs.height);
  return true;
}

/* Creates a Damage object on @window, discarding the report of the
 * creation itself (see the comment at the top).  Returns NULL on failure.
 */
static Candidate *
add_candidate (Run    *run,
               Window  window)
{
  Candidate *candidate;

  if (run->n_candidates == run->n_allocated)
    {
      size_t n_allocated = run->n_allocated ? run->n_allocated * 2 : 8;
      Candidate *candidates = realloc (run->candidates, n_allocated * sizeof *candidates);

      if (candidates == NULL)
        return NULL;

      /* run->target points into the array */
      if (run->target != NULL)
        run->target = candidates + (run->target - run->candidates);

      run->candidates = candidates;
      run->n_allocated = n_allocated;
    }

  candidate = &run->candidates[run->n_candidates++];
  candidate->window = window;

  XGrabServer (run->dpy);
  candidate->create_serial = NextRequest (run->dpy);
  candidate->damage = XDamageCreate (run->dpy, window, XDamageReportNonEmpty);
  XDamageSubtract (run->dpy, candidate->damage, None, None);
  candidate->first_serial = NextRequest (run->dpy);
  XUngrabServer (run->dpy);
  XFlush (run->dpy);

  return candidate;
}

static Candidate *
find_candidate (Run    *run,
                Window  window)
{
  size_t i;

  for (i = 0; i < run->n_candidates; i++)
    {
      if (run->candidates[i].window == window)
        return &run->candidates[i];
    }

  return NULL;
}

static void
handle_event (Run    *run,
              XEvent *event)
{
  if (event->type == CreateNotify)
    {
      XCreateWindowEvent *create = &event->xcreatewindow;

      if (create->parent == run->root && !create->override_redirect)
        add_candidate (run, create->window);
    }
  else if (event->type == MapNotify)
    {
      XMapEvent *map = &event->xmap;
      double t = now_ms ();
      Candidate *candidate;

      if (run->target != NULL || map->event != run->root || map->override_redirect)
        return;

      if (!is_main_window (run, map->window))
        return;

      candidate = find_candidate (run, map->window);
      if (candidate == NULL)
        candidate = add_candidate (run, map->window);
      if (candidate == NULL)
        return;

      run->target = candidate;
      run->t_map = t;
      run->mapped_before_damage = map->serial < candidate->create_serial;
    }
  else if (event->type == DestroyNotify)
    {
      if (run->target != NULL && event->xdestroywindow.window == run->target->window)
        {
          debug ("main window 0x%lx destroyed before its first frame", run->target->window);
          run->target = NULL;
        }
    }
  else if (event->type == run->damage_event_base + XDamageNotify)
    {
      XDamageNotifyEvent *notify = (XDamageNotifyEvent *) event;
      double t = now_ms ();

      if (run->target == NULL || notify->damage != run->target->damage)
        return;

      if (notify->serial < run->target->first_serial)
        {
          debug ("ignoring the creation report of the Damage object");
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

/* Returns 0 and sets @result_ms on success, 1 on failure. */
static int
measure_once (const Options *options,
              int            index,
              double        *result_ms)
{
  Run run = { 0 };
  int event_base, error_base, major, minor;
  double t_start, deadline;
  const char *failure = NULL;
  int fd;

  run.t_frame = -1;

  run.dpy = XOpenDisplay (NULL);
  if (run.dpy == NULL)
    {
      fprintf (stderr, "sd-first-frame: cannot open display '%s'\n",
               XDisplayName (NULL));
      return 1;
    }

  if (!XDamageQueryExtension (run.dpy, &event_base, &error_base) ||
      !XDamageQueryVersion (run.dpy, &major, &minor))
    {
      fprintf (stderr, "sd-first-frame: the X server lacks the DAMAGE extension\n");
      XCloseDisplay (run.dpy);
      return 1;
    }

  run.damage_event_base = event_base;
  run.root = DefaultRootWindow (run.dpy);
  run.net_wm_pid = XInternAtom (run.dpy, "_NET_WM_PID", False);

  fd = ConnectionNumber (run.dpy);
  fcntl (fd, F_SETFD, FD_CLOEXEC);

  XSelectInput (run.dpy, run.root, SubstructureNotifyMask);
  XSync (run.dpy, True);

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
          free (run.candidates);
          XCloseDisplay (run.dpy);
          return 1;
        }

      remaining = deadline - now_ms ();
      if (remaining <= 0)
        {
          failure = run.target == NULL ? "a main window to be mapped" : "the first frame";
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
      debug ("run %d: pid %d, window 0x%lx, map %.2f ms, first frame %.2f ms%s",
             index + 1, (int) run.child, run.target->window,
             run.t_map - t_start, run.t_frame - t_start,
             run.mapped_before_damage
               ? " (window was mapped before the Damage object existed: upper bound)"
               : "");
    }
  else if (!interrupted)
    {
      fprintf (stderr, "sd-first-frame: run %d timed out after %g s waiting for %s\n",
               index + 1, options->timeout_s, failure);
    }

  terminate_child (run.child);
  free (run.candidates);
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
