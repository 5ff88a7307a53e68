#include <signal.h>
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Small accessors for readline's global variables, which Swift cannot touch safely itself,
   and a SIGINT flag that readline's event hook polls on its own thread. */

static volatile sig_atomic_t goethe_readline_interrupted = 0;

static inline void goethe_readline_on_sigint(int signal) {
  (void)signal;
  goethe_readline_interrupted = 1;
}

/* Ctrl-C at the prompt: the hook, run by readline between keys, clears the line. */
static inline int goethe_readline_event_hook(void) {
  if (goethe_readline_interrupted) {
    goethe_readline_interrupted = 0;
    rl_replace_line("", 0);
    rl_crlf();
    rl_on_new_line();
    rl_redisplay();
  }
  return 0;
}

static inline void goethe_readline_setup(rl_completion_func_t *complete, const char *name) {
  rl_readline_name = name;
  rl_catch_signals = 0;
  rl_attempted_completion_function = complete;
  rl_completer_word_break_characters = " \t\n";
  rl_event_hook = goethe_readline_event_hook;
}

static inline void goethe_readline_no_filename_completion(void) { rl_attempted_completion_over = 1; }
static inline const char *goethe_readline_line(void) { return rl_line_buffer; }
static inline int goethe_readline_point(void) { return rl_point; }
