/*
 * A minimal HTTP/1.1 client over a raw socket, for the C tests that talk to a
 * cw_server (server_test.c, log_test.c).
 */
#ifndef CALLWIRE_TEST_HTTP_CLIENT_H
#define CALLWIRE_TEST_HTTP_CLIENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One HTTP/1.1 request to 127.0.0.1:port; the whole answer (head and body) into out. */
static inline int http(uint16_t port, const char *method, const char *path, const char *extra_headers, const char *body,
                char *out, size_t size) {
  struct sockaddr_in addr;
  char request[2048];
  size_t used = 0;
  ssize_t n;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  out[0] = '\0';
  if (fd < 0) return -1;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  /* Host: 127.0.0.1 unless extra_headers names another. */
  snprintf(request, sizeof request, "%s %s HTTP/1.1\r\n%sConnection: close\r\n%sContent-Length: %lu\r\n\r\n%s", method,
           path, extra_headers != NULL && strstr(extra_headers, "Host:") != NULL ? "" : "Host: 127.0.0.1\r\n",
           extra_headers != NULL ? extra_headers : "", (unsigned long)(body != NULL ? strlen(body) : 0),
           body != NULL ? body : "");
  if (send(fd, request, strlen(request), 0) < 0) {
    close(fd);
    return -1;
  }
  while (used + 1 < size && (n = recv(fd, out + used, size - 1 - used, 0)) > 0) used += (size_t)n;
  out[used] = '\0';
  close(fd);
  return (int)used;
}

static inline int status_of(const char *answer) {
  if (strncmp(answer, "HTTP/1.1 ", 9) != 0) return -1;
  return atoi(answer + 9);
}

#endif /* CALLWIRE_TEST_HTTP_CLIENT_H */
