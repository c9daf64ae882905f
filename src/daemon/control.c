/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket: any number of clients, each sending one JSON object
 * per line and receiving one per line. Sockets are non-blocking; a reply
 * that does not fit the socket buffer waits in the client's output queue
 * and input is not read meanwhile, so a client that stops reading only
 * stalls itself. A client that vanishes is dropped (MSG_NOSIGNAL: no
 * SIGPIPE); an over-long request gets an error reply and the connection
 * is closed.
 *
 * Each request becomes a struct control_call handed to its row of
 * control_commands[]. Until the handler answers (at once or later), the
 * client's further input waits, so replies keep the order of requests. A
 * client that vanishes while a call is pending is freed; the call then
 * only points nowhere and its late reply is dropped.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>
#include <systemd/sd-event.h>

#include "jkbms/log.h"
#include "jkbms/util.h"

#include "daemon/control-call.h"
#include "daemon/control-request.h"
#include "daemon/control.h"

#define CONTROL_CLIENTS_MAX 64
#define CONTROL_OUT_HIGH    (256u * 1024)

struct client {
	struct control *control;
	int fd;
	sd_event_source *io;
	char in[CONTROL_REQUEST_MAX];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	bool closing; /* close once the output is sent */
	bool eof;     /* the peer sent all it will send */
	uid_t uid;    /* SO_PEERCRED */
	pid_t pid;
	bool privileged;           /* see control_call_privileged() */
	struct control_call *call; /* the request being answered, if any */
	struct client *next;
};

struct control_call {
	struct client *client; /* NULL once the client has gone */
	struct manager *manager;
	struct json_object *args;
	const struct control_command *cmd;
	uid_t uid;
	pid_t pid;
	bool privileged;
	bool dispatching; /* inside the handler's first call */
};

struct control {
	sd_event *event;
	struct manager *manager;
	char *path;
	int fd;
	gid_t group; /* of the socket file: its members may change things */
	sd_event_source *io;
	struct client *clients;
	unsigned n_clients;
};

static void client_free(struct client *cl)
{
	struct control *c = cl->control;
	struct client **p;

	for (p = &c->clients; *p; p = &(*p)->next) {
		if (*p == cl) {
			*p = cl->next;
			break;
		}
	}
	c->n_clients--;
	if (cl->call) {
		log_debug_cat(LOG_CAT_CONTROL,
			      "control client (pid %d) gone before '%s' was "
			      "answered",
			      (int)cl->pid, cl->call->cmd->name);
		cl->call->client = NULL;
	}
	sd_event_source_disable_unref(cl->io);
	close(cl->fd);
	free(cl->out);
	explicit_bzero(cl->in, sizeof(cl->in));
	free(cl);
}

static void queue(struct client *cl, struct json_object *reply)
{
	const char *s = json_object_to_json_string_ext(
		reply, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(s);

	cl->out = xrealloc(cl->out, cl->out_len + n + 1);
	memcpy(cl->out + cl->out_len, s, n);
	cl->out[cl->out_len + n] = '\n';
	cl->out_len += n + 1;
}

static void queue_error(struct client *cl, const char *msg)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	queue(cl, o);
	json_object_put(o);
}

static void call_free(struct control_call *call)
{
	json_object_put(call->args);
	free(call);
}

/* Watches for what the client waits on next (see on_client). */
static void client_update_events(struct client *cl)
{
	uint32_t events;

	if (cl->out)
		events = EPOLLOUT;
	else if (cl->call)
		events = 0; /* hang-ups are reported anyway */
	else
		events = EPOLLIN;
	sd_event_source_set_io_events(cl->io, events);
}

/* Queues the answer of a call, frees the call; reply is borrowed. */
static void call_answer(struct control_call *call, struct json_object *reply)
{
	struct client *cl = call->client;

	if (!cl) {
		log_debug_cat(LOG_CAT_CONTROL,
			      "reply to '%s' dropped: the client has gone",
			      call->cmd->name);
		call_free(call);
		return;
	}
	queue(cl, reply);
	cl->call = NULL;
	/*
	 * A late answer: let the loop send it and go on with the client's
	 * next requests (on_client runs as soon as the socket has room).
	 */
	if (!call->dispatching)
		client_update_events(cl);
	call_free(call);
}

static void handle_line(struct client *cl, const char *line, size_t len)
{
	const struct control_command *cmd;
	struct control_call *call;
	struct json_object *req;
	char err[128];

	if (control_parse_request(control_commands, line, len, &req, &cmd, err,
				  sizeof(err)) < 0) {
		queue_error(cl, err);
		return;
	}
	log_debug_cat(LOG_CAT_CONTROL,
		      "control request '%s' from uid %u pid %d", cmd->name,
		      (unsigned)cl->uid, (int)cl->pid);
	call = xcalloc(1, sizeof(*call));
	call->client = cl;
	call->manager = cl->control->manager;
	call->args = req;
	call->cmd = cmd;
	call->uid = cl->uid;
	call->pid = cl->pid;
	call->privileged = cl->privileged;
	call->dispatching = true;
	cl->call = call;
	cmd->handle(call);
	/* Still pending: the handler answers later. */
	if (cl->call == call)
		call->dispatching = false;
}

struct manager *control_call_manager(const struct control_call *call)
{
	return call->manager;
}

struct json_object *control_call_args(const struct control_call *call)
{
	return call->args;
}

const char *control_call_string(const struct control_call *call,
				const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(call->args, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

uid_t control_call_uid(const struct control_call *call)
{
	return call->uid;
}

pid_t control_call_pid(const struct control_call *call)
{
	return call->pid;
}

bool control_call_privileged(const struct control_call *call)
{
	return call->privileged;
}

bool control_call_connected(const struct control_call *call)
{
	return call->client != NULL;
}

void control_call_reply(struct control_call *call, struct json_object *reply)
{
	struct json_object *out;

	if (!reply) {
		control_call_error(call, "out of memory");
		return;
	}
	if (json_object_object_get_ex(reply, "ok", NULL)) {
		call_answer(call, reply);
		json_object_put(reply);
		return;
	}
	/* "ok" first, for the human reading a reply. */
	out = json_object_new_object();
	json_object_object_add(out, "ok", json_object_new_boolean(1));
	json_object_object_foreach(reply, key, val)
		json_object_object_add(out, key, json_object_get(val));
	json_object_put(reply);
	call_answer(call, out);
	json_object_put(out);
}

void control_call_error(struct control_call *call, const char *fmt, ...)
{
	struct json_object *o = json_object_new_object();
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	call_answer(call, o);
	json_object_put(o);
}

/* Returns < 0 when the client is gone. */
static int flush_out(struct client *cl)
{
	while (cl->out_off < cl->out_len) {
		ssize_t n = send(cl->fd, cl->out + cl->out_off,
				 cl->out_len - cl->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -errno;
		}
		cl->out_off += (size_t)n;
	}
	free(cl->out);
	cl->out = NULL;
	cl->out_len = cl->out_off = 0;
	return 0;
}

/*
 * Handles the complete lines in the input buffer while the queued output
 * stays below CONTROL_OUT_HIGH: a client pipelining many requests without
 * reading the replies holds at most that much of the daemon's memory.
 */
static void process_input(struct client *cl)
{
	char *nl;

	while (!cl->closing && !cl->call &&
	       cl->out_len - cl->out_off < CONTROL_OUT_HIGH) {
		size_t len;

		nl = memchr(cl->in, '\n', cl->in_len);
		if (!nl) {
			if (cl->in_len == sizeof(cl->in)) {
				queue_error(cl, "request too long");
				cl->closing = true;
			}
			return;
		}
		len = (size_t)(nl - cl->in);
		handle_line(cl, cl->in, len);
		memmove(cl->in, nl + 1, cl->in_len - len - 1);
		cl->in_len -= len + 1;
		/* A request may carry a password: leave no copy behind. */
		explicit_bzero(cl->in + cl->in_len, len + 1);
	}
}

static bool has_line(const struct client *cl)
{
	return memchr(cl->in, '\n', cl->in_len) != NULL;
}

static int on_client(sd_event_source *s, int fd, uint32_t revents,
		     void *userdata)
{
	struct client *cl = userdata;
	int r;

	/* Read only when every reply so far has been sent. */
	if (revents & EPOLLIN && !cl->out && !cl->call && !cl->closing &&
	    !cl->eof && cl->in_len < sizeof(cl->in)) {
		ssize_t n = recv(fd, cl->in + cl->in_len,
				 sizeof(cl->in) - cl->in_len, MSG_DONTWAIT);

		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			client_free(cl);
			return 0;
		}
		if (n == 0) {
			/* Peer done sending: answer what it sent, then go. */
			if (cl->in_len > 0 && cl->in_len < sizeof(cl->in) &&
			    cl->in[cl->in_len - 1] != '\n')
				cl->in[cl->in_len++] = '\n';
			cl->eof = true;
		}
		if (n > 0)
			cl->in_len += (size_t)n;
	} else if (revents & (EPOLLHUP | EPOLLERR) && !(revents & EPOLLOUT)) {
		client_free(cl);
		return 0;
	}

	for (;;) {
		process_input(cl);
		r = flush_out(cl);
		if (r < 0) {
			log_debug_cat(LOG_CAT_CONTROL,
				      "control client gone: %s", strerror(-r));
			client_free(cl);
			return 0;
		}
		if (cl->out || cl->call || cl->closing || !has_line(cl))
			break;
	}
	if (!cl->out && !cl->call &&
	    (cl->closing || (cl->eof && !has_line(cl)))) {
		client_free(cl);
		return 0;
	}
	/*
	 * Waiting output: watch for room; a pending call: watch nothing but
	 * hang-ups. Input is not read until both are done.
	 */
	client_update_events(cl);
	return 0;
}

/* Is the peer of fd in group (primary or supplementary)? */
static bool peer_in_group(int fd, gid_t primary, gid_t group)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);
	size_t i;

	if (primary == group)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return false;
	for (i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == group)
			return true;
	return false;
}

static int on_accept(sd_event_source *s, int fd, uint32_t revents,
		     void *userdata)
{
	struct control *c = userdata;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct client *cl;
	int cfd, r;

	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_warning_errno(-errno, "control socket: accept: %m");
		return 0;
	}
	if (c->n_clients >= CONTROL_CLIENTS_MAX) {
		log_warning("control socket: %u clients, refusing one more",
			    c->n_clients);
		close(cfd);
		return 0;
	}
	cl = xcalloc(1, sizeof(*cl));
	cl->control = c;
	cl->fd = cfd;
	cl->uid = (uid_t)-1;
	cl->pid = 0;
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
		cl->uid = cred.uid;
		cl->pid = cred.pid;
		cl->privileged = cred.uid == 0 || cred.uid == geteuid() ||
				 peer_in_group(cfd, cred.gid, c->group);
	} else {
		log_warning_errno(-errno,
				  "control socket: no peer credentials: %m");
	}
	r = sd_event_add_io(c->event, &cl->io, cfd, EPOLLIN, on_client, cl);
	if (r < 0) {
		log_warning_errno(r,
				  "control socket: cannot watch a client: %m");
		close(cfd);
		free(cl);
		return 0;
	}
	cl->next = c->clients;
	c->clients = cl;
	c->n_clients++;
	return 0;
}

/* A socket file nobody listens on is left over from a crash. */
static int remove_stale(const struct sockaddr_un *sa)
{
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct stat st;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
		return -EADDRINUSE;
	if (unlink(sa->sun_path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int control_new(struct sd_event *event, struct manager *m, const char *path,
		struct control **ret)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct control *c;
	struct stat st;
	int r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return log_error_errno(-ENAMETOOLONG,
				       "control socket path too long: %s",
				       path);
	strcpy(sa.sun_path, path);

	r = mkdir_parents(path, 0750);
	if (r < 0)
		return log_error_errno(
			r, "cannot create the directory of %s: %m", path);
	r = remove_stale(&sa);
	if (r == -EADDRINUSE)
		return log_error_errno(
			r, "%s: another jkbmsd is listening there", path);
	if (r < 0)
		return log_error_errno(
			r, "%s: cannot remove the old socket: %m", path);

	c = xcalloc(1, sizeof(*c));
	c->event = event;
	c->manager = m;
	c->path = xstrdup(path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		r = -errno;
		goto fail;
	}
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		goto fail;
	}
	if (chmod(path, 0660) < 0 || listen(c->fd, 16) < 0 ||
	    stat(path, &st) < 0) {
		r = -errno;
		goto fail_unlink;
	}
	c->group = st.st_gid;
	r = sd_event_add_io(event, &c->io, c->fd, EPOLLIN, on_accept, c);
	if (r < 0)
		goto fail_unlink;
	log_info("control socket at %s", path);
	*ret = c;
	return 0;

fail_unlink:
	unlink(path);
fail:
	log_error_errno(r, "control socket %s: %m", path);
	if (c->fd >= 0)
		close(c->fd);
	free(c->path);
	free(c);
	return r;
}

struct control *control_free(struct control *c)
{
	if (!c)
		return NULL;
	while (c->clients)
		client_free(c->clients);
	sd_event_source_disable_unref(c->io);
	close(c->fd);
	unlink(c->path);
	free(c->path);
	free(c);
	return NULL;
}

const char *control_path(const struct control *c)
{
	return c->path;
}
