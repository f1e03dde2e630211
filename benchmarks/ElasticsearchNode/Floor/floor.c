/*
 * Docker's floor for the node's start benchmark: the least a FROM-scratch container can do before it answers
 * HTTP. It binds 0.0.0.0:9200 and answers every request with a fixed 200, so `docker start` -> answering on this
 * program is what Docker (and the kernel) cost before any of the node's own work. Built static, no libraries.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    int server = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons(9200);
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    if (server < 0 || bind(server, (struct sockaddr *)&address, sizeof address) != 0 || listen(server, 64) != 0) {
        return 1;
    }

    for (;;) {
        int client = accept(server, 0, 0);
        if (client < 0) {
            continue;
        }

        char request[4096];
        /* One read is enough for a GET without a body; the answer closes the connection. */
        if (read(client, request, sizeof request) > 0) {
            (void)write(client, answer, sizeof answer - 1);
        }

        close(client);
    }
}
