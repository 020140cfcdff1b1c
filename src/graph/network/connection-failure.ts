/**
 * Whether a log line says its program failed to reach or use a network dependency (a database,
 * cache, broker, gRPC or HTTP peer), in which way, and which dependency.
 *
 * Lines are matched by the class of failure as the client libraries word it, not by dependency:
 * `ECONNREFUSED` reads the same from pg, ioredis and kafkajs. Bounded: only the first
 * {@link EXAMINED_CHARS} characters of a line are read (a client's error sits at the start of its
 * line; a longer line is a payload or a stack dump). Every pattern starts at a literal word or
 * character, its repeats are bounded repeats of one character class, and no repeated group holds a
 * repeat (only optional `(…)?` groups hold one), so a hostile line costs at most a small constant
 * times that prefix: a 4,096-character run of name characters, colons, dots or digits behind a
 * failure word classifies in about a millisecond.
 */
export { lineTime } from './line-time.js';

/** The ways a connection fails, as the fixtures of test/fixtures/connection-errors define them. */
export const CONNECTION_FAILURES = ['refused', 'timeout', 'dns', 'eof', 'tls', 'auth'] as const;

/**
 * `refused`: nothing listening, or the network rejected the connection at once; `timeout`: the
 * connect or a read timed out; `dns`: the name did not resolve; `eof`: the peer closed or reset an
 * established connection; `tls`: handshake or certificate verification failed; `auth`: the
 * credentials were rejected.
 */
export type ConnectionFailureKind = (typeof CONNECTION_FAILURES)[number];

/** What a log line says about a failed connection. */
export interface ConnectionFailure {
  readonly failure: ConnectionFailureKind;
  /** The dependency the line names (host name or IP literal, lower-cased, no brackets/trailing dot), when it names one. Never the client's own address. */
  readonly host?: string;
  readonly port?: number;
}

/** How much of a line is read (see the module comment). */
const EXAMINED_CHARS = 4096;

/** One wording of a failure class: whose it is is the comment above it. */
interface Wording {
  readonly failure: ConnectionFailureKind;
  readonly pattern: RegExp;
  /** Words that also mean other things (`EOF`, `broken pipe`) count only beside a network word. */
  readonly needsNetwork?: true;
}

/**
 * Lines about a connection this program served, not one it made: they name the client, and their
 * failure words are the client's.
 */
const SERVED: readonly RegExp[] = [
  // Go's net/http server: a client that hung up or spoke no TLS; the address is the client's.
  /\bhttp: TLS handshake error from /,
  // An access log's request line and status: a response this program sent (a 401 it served).
  /"(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|CONNECT|TRACE) [^"\s]{1,2048} HTTP\/[\d.]{1,3}" \d{3}\b/,
];

/** A word saying the line is about a network conversation, for the wordings that need one. */
const NETWORK =
  /\b(?:dial|tcp|udp|conn|connection|transport|broker|server|peer|remote|upstream|rpc|grpc|proxy|ssl|tls)\b|socket|:\/\/|\[mysql\]/i;

/**
 * The wordings, most specific first; the first that matches names the failure. Credentials and
 * certificates come before the connection words that often share their line (libpq's `connection to
 * server … failed: FATAL: password authentication failed`); a named cause comes before the generic
 * "could not connect" wordings at the end, which name none and are read as `refused` (the set has
 * no "unreachable" kind, and nothing answering is the usual cause).
 */
const WORDINGS: readonly Wording[] = [
  // PostgreSQL's FATAL as libpq, pgjdbc, pgx, lib/pq, node-postgres and Npgsql relay it.
  { failure: 'auth', pattern: /password authentication failed for user|\bno pg_hba\.conf entry for\b/i },
  // PostgreSQL: a login role that does not exist is a rejected credential too.
  { failure: 'auth', pattern: /\bFATAL: {1,2}role "[^"]{0,128}" does not exist/ },
  // MySQL / MariaDB errors 1045 and 1044 as every client relays them; Sequelize's name for them.
  { failure: 'auth', pattern: /\bAccess denied for user\b|SequelizeAccessDeniedError/i },
  // Redis / Valkey replies.
  {
    failure: 'auth',
    pattern:
      /\b(?:NOAUTH|WRONGPASS)\b|invalid username-password pair|\bERR (?:invalid password|AUTH\b)|Client sent AUTH, but no password is set|\bAuthentication required\b/,
  },
  // Kafka: the Java client's exception, librdkafka's ("SASL authentication failure: …"), kafkajs's
  // and kafka-python's SASL wording.
  {
    failure: 'auth',
    pattern:
      /SaslAuthenticationException|SASLAuthenticationError|\bSASL (?:[\w-]{1,30} )?authentication (?:failed|failure|error)|due to invalid credentials/i,
  },
  // SQL Server 18456; Oracle ORA-01017; RabbitMQ / AMQP 0-9-1 and pika; MongoDB drivers, Atlas
  // and the server's codeName; Elasticsearch security; Prisma P1000.
  {
    failure: 'auth',
    pattern:
      /\bLogin failed for user\b|\bORA-01017\b|\bACCESS_REFUSED\b|Probable(?:Authentication|AccessDenied)Error|\bMongo(?:Server)?Error: (?:bad auth|Authentication failed)|\bAuthenticationFailed\b|unable to authenticate user|missing authentication credentials|Authentication failed against database server/i,
  },
  // AWS APIs rejecting the caller's keys or token.
  {
    failure: 'auth',
    pattern:
      /\b(?:InvalidClientTokenId|SignatureDoesNotMatch|InvalidAccessKeyId|ExpiredToken(?:Exception)?)\b|security token included in the request is (?:invalid|expired)/,
  },
  // gRPC status as Go (`code = Unauthenticated`), Java (`UNAUTHENTICATED:`) and Python print it.
  { failure: 'auth', pattern: /\bcode = Unauthenticated\b|\bUNAUTHENTICATED\b/ },
  // HTTP clients given a 401: axios, Prometheus remote write, Go clients. Not an access log's 401.
  {
    failure: 'auth',
    pattern: /\b(?:failed with|returned|received|got|unexpected) (?:HTTP )?status(?: code)?:? 401\b/i,
  },

  // Go net/http: the peer never finished the handshake (a timeout, though the word TLS is there).
  { failure: 'timeout', pattern: /\bTLS handshake timeout\b/i },

  // Go crypto/x509 and crypto/tls.
  {
    failure: 'tls',
    pattern:
      /\bx509: |\bremote error: tls: |\btls: (?:failed to verify|handshake failure|first record does not look|bad certificate|unknown certificate|certificate required)/i,
  },
  // OpenSSL as libpq, Python's ssl, librdkafka, curl, nginx, gRPC core and Envoy print it. (Not
  // "SSL SYSCALL error": that is the peer closing the socket, read by what follows it.)
  {
    failure: 'tls',
    pattern:
      /SSL routines|SSL_ERROR_SSL|certificate verify failed|\bwrong version number|WRONG_VERSION_NUMBER|\b(?:sslv3|tlsv1|tlsv13) alert|SSL certificate problem|\bSSL_connect\b|SSL_do_handshake\(\) failed/i,
  },
  // Kafka Java's "SSL handshake failed", gRPC core's "Handshake failed with fatal error".
  {
    failure: 'tls',
    pattern: /\b(?:SSL|TLS) ?handshake (?:failed|error|failure)|\bHandshake failed with fatal error/i,
  },
  // Java JSSE.
  {
    failure: 'tls',
    pattern:
      /SSLHandshakeException|PKIX path building failed|javax\.net\.ssl\.SSLException|CertificateExpiredException|No subject alternative (?:DNS )?names? matching/,
  },
  // Node's tls (OpenSSL's verify codes and their messages), as pg, ioredis, axios pass them on.
  {
    failure: 'tls',
    pattern:
      /self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|certificate has expired|\bERR_(?:SSL|TLS)_\w|does not match certificate's altnames|disconnected before secure TLS connection was established/i,
  },
  // .NET's HttpClient and SslStream; PostgreSQL clients (libpq, node-postgres, lib/pq) whose
  // sslmode the server does not meet.
  {
    failure: 'tls',
    pattern:
      /The SSL connection could not be established|The remote certificate is invalid|server does not support SSL|SSL is not enabled on the server|SSL connection is required/i,
  },

  // Go's resolver: `dial tcp: lookup HOST on SERVER:53: no such host` (or `server misbehaving`,
  // or the resolver's own i/o timeout: the lookup is what failed).
  {
    failure: 'dns',
    pattern:
      /\bdial (?:tcp|udp)[46]?: lookup |\blookup [\w.-]{1,253} on [\w.:[\]%-]{1,300}: |\bno such host\b|server misbehaving/i,
  },
  // libpq; getaddrinfo's messages: glibc (EAI_NONAME, EAI_AGAIN, EAI_NODATA), BSD / macOS, musl,
  // Python on Windows.
  {
    failure: 'dns',
    pattern:
      /could not translate host name|Name or service not known|nodename nor servname provided|Temporary failure in name resolution|Name does not resolve|No address associated with hostname|getaddrinfo failed/i,
  },
  // Node / libuv error codes, and any error of Node's resolver (`queryA ETIMEOUT redis`,
  // `querySrv ECONNREFUSED _mongodb._tcp…`: the DNS server failed); Java (`UnknownHostException`,
  // netty's `UnresolvedAddressException`), gRPC Java's `Unable to resolve host`; Sequelize.
  {
    failure: 'dns',
    pattern:
      /\b(?:ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_NODATA|EAI_FAIL)\b|\b(?:query[A-Za-z]{0,8}|getaddrinfo) E[A-Z_]{3,20}\b|UnknownHostException|UnresolvedAddressException|Unable to resolve host|SequelizeHostNotFoundError/,
  },
  // curl; MySQL 2005; librdkafka; gRPC (core's "DNS resolution failed", Go's "name resolver
  // error"); nginx ("could not be resolved (3: Host not found)"); resolver codes.
  {
    failure: 'dns',
    pattern:
      /Could not resolve host|Unknown MySQL server host|Failed to resolve '|DNS resolution failed|name resolver error|could not be resolved|\bHost not found\b|\b(?:NXDOMAIN|SERVFAIL)\b/i,
  },

  // strerror(ECONNREFUSED) as every client on Linux prints it, libuv's code, Windows' wording.
  // pgjdbc's own wording: `Connection to HOST:PORT refused`.
  {
    failure: 'refused',
    pattern:
      /connection refused|\bECONNREFUSED\b|actively refused|No connection could be made|\bConnection to \S{1,300} refused/i,
  },
  // An ICMP unreachable came back: rejected by the network at once, as a refusal is (kube-proxy
  // answers so for a Service with no endpoints; a deleted pod's IP gives "no route to host").
  {
    failure: 'refused',
    pattern: /\bEHOSTUNREACH\b|\bENETUNREACH\b|no route to host|network is unreachable|host is unreachable/i,
  },
  // libmysqlclient / MariaDB Connector/C 2002 and 2003 give the errno in brackets: 111
  // ECONNREFUSED, 113 EHOSTUNREACH, 10061 WSAECONNREFUSED.
  { failure: 'refused', pattern: /server on '[^']{0,260}' \((?:111|113|10061)\)/i },
  // Envoy's reset reason ("upstream connect error or disconnect/reset before headers. reset reason:
  // connection failure") and its errno ("delayed connect error: 111").
  {
    failure: 'refused',
    pattern: /reset reason: (?:remote )?connection failure|delayed connect error: 11[13]\b/,
  },
  // Oracle's listener not there; PostgreSQL refusing connections while it starts or stops.
  {
    failure: 'refused',
    pattern:
      /\bORA-12541\b|TNS:no listener|the database system is (?:starting up|shutting down|in recovery mode)/,
  },

  // The same MySQL errno: 110 ETIMEDOUT, 115 EINPROGRESS (the connect did not finish within
  // connect_timeout), 10060 WSAETIMEDOUT.
  { failure: 'timeout', pattern: /server on '[^']{0,260}' \((?:110|115|10060)\)/i },
  // Go net and net/http; Node / libuv and the request library.
  {
    failure: 'timeout',
    pattern:
      /\bi\/o timeout\b|Client\.Timeout exceeded|request canceled while waiting for connection|timeout awaiting response headers|\bE(?:SOCKET)?TIMEDOUT\b/,
  },
  // strerror(ETIMEDOUT) "Connection timed out", macOS "Operation timed out", Java "connect timed
  // out" / "Read timed out", MongoDB drivers ("connection 3 to HOST:27017 timed out", "Server
  // selection timed out").
  {
    failure: 'timeout',
    pattern:
      /\b(?:connect|connection|operation|read|socket|request) timed out\b|\bTimed out connecting to\b|\bServer selection timed out\b|:\d{1,5}\)? timed out\b/i,
  },
  // Java (java.net, Netty, Lettuce), Python requests / urllib3, PyMongo, the MongoDB Node driver,
  // Kafka Java, Sequelize, .NET's HttpClient.
  {
    failure: 'timeout',
    pattern:
      /SocketTimeoutException|ConnectTimeoutException|RedisCommandTimeoutException|\b(?:Connect|Read)Timeout(?:Error)?\b|ServerSelectionTimeoutError|MongoNetworkTimeoutError|kafka\.common\.errors\.TimeoutException|SequelizeConnectionAcquireTimeoutError|HttpClient\.Timeout/,
  },
  // gRPC core's os_error; libpq, SAP HANA and SQL Server ("timeout expired"); Npgsql; redis-py;
  // node-postgres; kafkajs ("KafkaJSConnectionError: Connection timeout"); Envoy; librdkafka;
  // Knex; go-redis.
  {
    failure: 'timeout',
    pattern:
      /\bTimeout occurred\b|timeout expired|Timeout during (?:reading|writing) attempt|Timeout (?:connecting to server|reading from socket)|timeout exceeded when trying to connect|(?:Error: |due to |reason: )connection timeout\b|Connection setup timed out|Timeout acquiring a connection|connection pool timeout/i,
  },
  // gRPC's deadline status; Go's context deadline, when it ends a network call.
  { failure: 'timeout', pattern: /\bcode = DeadlineExceeded\b|\bDEADLINE_EXCEEDED\b/ },
  { failure: 'timeout', pattern: /context deadline exceeded/, needsNetwork: true },

  // strerror(ECONNRESET) "connection reset by peer", Java "Connection reset", libuv, Node's http,
  // Windows' "Software caused connection abort".
  {
    failure: 'eof',
    pattern:
      /\bECONNRESET\b|connection reset|\bECONNABORTED\b|socket hang up|Software caused connection abort/i,
  },
  // libpq; node-postgres; PostgreSQL shutting down; pgjdbc; Prisma P1017; MySQL Connector/J;
  // MySQL 2013 and 2006; Go's database/sql and go-sql-driver.
  {
    failure: 'eof',
    pattern:
      /server closed the connection unexpectedly|Connection terminated unexpectedly|terminating connection due to administrator command|An I\/O error occurred while sending to the backend|This connection has been closed|Server has closed the connection|Communications link failure|Lost connection to MySQL server|MySQL server has gone away|driver: bad connection|\[mysql\].{0,200}invalid connection/i,
  },
  // gRPC-go and gRPC Java; Envoy; .NET sockets and HttpClient; Npgsql (a read or write on an open
  // connection failed).
  {
    failure: 'eof',
    pattern:
      /transport is closing|connection closed before server preface|Network closed for unknown reason|reset reason: connection termination|forcibly closed by the remote host|Unable to read data from the transport connection|The response ended prematurely|Exception while (?:reading from|writing to) stream|EndOfStreamException/i,
  },
  // Python http.client, httpx, aiohttp; redis-py and others ("Connection closed by server");
  // ioredis; Jedis; amqplib; RabbitMQ; curl 52; nginx; Go's http2 and net.
  {
    failure: 'eof',
    pattern:
      /RemoteDisconnected|Remote end closed connection|Server ?disconnected|Connection closed by (?:foreign host|peer|remote host|server)|\bConnection is closed\b|Unexpected end of stream|Socket closed abruptly|\bCONNECTION_FORCED\b|Empty reply from server|upstream prematurely closed connection|http2: (?:client connection lost|server sent GOAWAY)|use of closed network connection/i,
  },
  // Kafka Java: `Bootstrap broker HOST:PORT (id: -1 rack: null) disconnected`.
  { failure: 'eof', pattern: /\bbroker \S{1,300} \(id: [^)]{1,64}\) disconnected\b/ },
  // librdkafka's broker state (`kafka:9092/1001: Disconnected`); Go net/http's read loop; the
  // MongoDB Node driver's network error ("connection 1 to … closed").
  {
    failure: 'eof',
    pattern: /\/(?:\d{1,10}|bootstrap): Disconnected\b|readLoopPeekFailLocked|MongoNetworkError/,
  },
  // A write to a closed socket; Go's io.EOF as net/http, sarama and gRPC pass it on. Both also
  // mean a closed pipe or a truncated file, so a network word must be on the line.
  { failure: 'eof', pattern: /\bbroken pipe\b|\bEPIPE\b/i, needsNetwork: true },
  {
    failure: 'eof',
    pattern: /(?:^|[\s:"'])(?:unexpected )?EOF(?=$|[\s"'\\,;)\]}])|\bEOFException\b/,
    needsNetwork: true,
  },

  // No cause named. gRPC core / Python; Kafka Java ("Connection to node -1 … could not be
  // established"); Envoy ("no healthy upstream"); nginx; gRPC-go; pgx; Sarama; librdkafka;
  // Elasticsearch clients (JS, olivere, Java); SQL Server; Prisma P1001.
  {
    failure: 'refused',
    pattern:
      /failed to connect to all addresses|could not be established|upstream connect error|no healthy upstream|no live upstreams|Error while dialing|\bdial(?:ing)? (?:error|failed)\b|run out of available brokers|brokers? (?:connections )?are down|No living connections|no (?:alive|available) nodes|NoNodeAvailableException|A network-related or instance-specific error|Can't reach database server/i,
  },
  // Lettuce, MySQL 2002 / 2003, redis clients, MongoDB, SAP HANA; Java; urllib3; aiohttp.
  {
    failure: 'refused',
    pattern:
      /\b(?:could not|couldn't|can't|cannot|unable to|failed to) (?:connect|establish (?:a |the )?(?:new )?connection)\b|\bconnect(?:ion)? (?:attempt )?failed\b|\bConnectException\b|\bNewConnectionError\b|ClientConnectorError/i,
  },
  // gRPC's status with no cause: Go, Java (`UNAVAILABLE: io exception`), Python.
  {
    failure: 'refused',
    pattern: /\bcode = Unavailable\b|\bUNAVAILABLE:|StatusCode\.UNAVAILABLE|code=UNAVAILABLE/,
  },
];

/** Where a line names the dependency: a host, maybe a port. */
interface Address {
  readonly host: string;
  readonly port?: number;
}

// Address pieces. Named groups: `host` (a name or IP), `port`, or `token` (HOST[:PORT], IPv6
// bracketed or not, split in code), or `ip` (Java's literal after a name).
const BRACKETED = String.raw`\[[\w:.%-]{1,64}\]`;
const HOST_PORT = String.raw`${BRACKETED}:\d{1,5}|[\w.-]{1,253}:\d{1,5}`;

/**
 * The shapes in which lines name the dependency, in order of trust: the first shape with a
 * plausible address wins. Where the dialled address and a URL disagree (`Get http://name/…: read
 * tcp LOCAL->IP:PORT`), the address dialled wins; the client's own address is never read.
 */
const ADDRESS_SHAPES: readonly RegExp[] = [
  // Go's resolver: `lookup HOST on 10.96.0.10:53: no such host` (the server after `on` is DNS).
  /\blookup (?<host>[\w.-]{1,253})(?: on |: )/g,
  // Go net: `dial tcp HOST:PORT`, `read tcp LOCAL->REMOTE` (the remote one).
  new RegExp(
    String.raw`\b(?:dial|read|write) tcp[46]? (?:(?:${HOST_PORT})->)?(?<token>${HOST_PORT})(?!\d)`,
    'g',
  ),
  // libpq: `connection to server at "HOST" (IP), port N failed`, `could not translate host name
  // "HOST"`, `Is the server running on host "HOST"`.
  /\bconnection to server at "(?<host>[^"\s]{1,253})"(?: \([^)\s]{1,64}\))?, port (?<port>\d{1,5})/g,
  /\b(?:could not translate host name|server running on host) "(?<host>[^"\s]{1,253})"/g,
  // Python urllib3 / requests: `HTTPConnectionPool(host='localhost', port=9200)`.
  /ConnectionPool\(host='(?<host>[^'\s]{1,253})', port=(?<port>\d{1,5})\)/g,
  // curl: `Failed to connect to HOST port N`; pgx v4: ``failed to connect to `host=HOST user=…` ``;
  // Prisma: ``Can't reach database server at `HOST`:`PORT` ``.
  /\bconnect to (?<host>[\w.-]{1,253}) port (?<port>\d{1,5})/g,
  /\bfailed to connect to `host=(?<host>[^\s`]{1,253})/g,
  /\bdatabase server at `(?<host>[^\s`]{1,253})`(?::`(?<port>\d{1,5})`)?/g,
  // librdkafka's thread name: `[thrd:kafka:9092/bootstrap]`, `[thrd:sasl_ssl://b-1:9096/1]`.
  /\[thrd:(?:[a-z_]{1,16}:\/\/)?(?<host>[\w.-]{1,253}):(?<port>\d{1,5})\//g,
  // Node / libuv: `connect ECONNREFUSED 127.0.0.1:5432`, `connect ECONNREFUSED ::1:6379`,
  // `getaddrinfo ENOTFOUND HOST`.
  new RegExp(
    String.raw`\b(?:connect|read|write|getaddrinfo|querySrv|queryA|queryAaaa) E[A-Z_]{2,30} (?<token>${BRACKETED}(?::\d{1,5})?|[\w.:%-]{1,300})`,
    'g',
  ),
  // Java's InetSocketAddress: `broker/172.18.0.3:29092`, `localhost/0:0:0:0:0:0:0:1:32770`,
  // `/192.168.1.211:6565` (Kafka Java, Netty, gRPC Java): the name when there is one.
  // (Matched from the slash; the lookbehind reads the name before it, so a long run of name
  // characters is not rescanned from each of its positions.)
  /\/(?<=(?<host>[\w.-]{0,253})\/)(?<ip>[\d.]{7,15}|[0-9A-Fa-f:]{2,39}):(?<port>\d{1,5})(?!\d)/g,
  // libmysqlclient, MariaDB Connector/C, PyMySQL: `Can't connect to MySQL server on 'HOST'`,
  // `Unknown MySQL server host 'HOST'`.
  /(?:server on|Unknown MySQL server host) '(?<token>[^'\s]{1,260})'/gi,
  // Resolver wordings naming the name: Java, curl, librdkafka (`Failed to resolve 'kafka:9092'`),
  // gRPC core.
  /(?:UnknownHostException:|Unable to resolve host) (?<host>[\w.-]{1,253})/g,
  /Could not resolve host: (?<host>[\w.-]{1,253})/gi,
  /Failed to resolve '(?<token>[^'\s]{1,260})'/gi,
  /DNS resolution failed for (?:service: )?(?<token>[\w.:[\]%-]{1,260})/gi,
  // gRPC core's resolved address (`ipv4:127.0.0.1:50051`), librdkafka's (`ipv4#172.19.0.10:9092`).
  new RegExp(String.raw`\bipv[46][:#](?<token>${BRACKETED}:\d{1,5}|[\d.]{7,15}:\d{1,5})(?!\d)`, 'g'),
  // MongoDB drivers: `failed to connect to server [localhost:27017]`; PyMongo's errors lead with
  // the address (`ServerSelectionTimeoutError: mongo:27017: [Errno 111] …`); Kafka Java's
  // `Bootstrap broker HOST:PORT (id: -1 rack: null) disconnected`.
  /server \[(?<token>[\w.:%-]{1,260})\]/gi,
  new RegExp(
    String.raw`(?:ServerSelectionTimeoutError|AutoReconnect|NetworkTimeout): (?<token>${HOST_PORT}):`,
    'g',
  ),
  new RegExp(String.raw`\bbroker (?<token>${HOST_PORT}) \(id:`, 'g'),
  // kafka-python's connection: `<BrokerConnection client_id=…, node_id=… host=HOST:PORT …>`.
  new RegExp(String.raw`<BrokerConnection\b[^>]{0,300} host=(?<token>${HOST_PORT})(?!\d)`, 'g'),
  // `connecting to HOST:PORT` (redis-py, Lettuce, pgjdbc `Connection to HOST:PORT refused`),
  // `Connection refused HOST:PORT` (.NET), `(HOST:PORT)` (.NET's HttpRequestException).
  new RegExp(String.raw`\bto ['"]?(?<token>${HOST_PORT})(?!\d)`, 'gi'),
  new RegExp(String.raw`\b(?:refused|unreachable|timed out)[: ]{1,2}['"]?(?<token>${HOST_PORT})(?!\d)`, 'gi'),
  new RegExp(String.raw`\((?<token>${HOST_PORT})\)`, 'g'),
  // A URL: `scheme://[user[:password]@]HOST[:PORT]`.
  new RegExp(
    String.raw`\b[a-z][\w+.-]{0,30}:\/\/(?:[^\s/@]{1,256}@)?(?<token>${BRACKETED}(?::\d{1,5})?|[\w.-]{1,253}(?::\d{1,5})?)(?!\d)`,
    'gi',
  ),
];

/** File extensions of source code: `http.go:97`, `Foo.java:123` are a file and line, not a host. */
const SOURCE_EXTENSIONS = new Set(
  'c cc cpp cs cxx erl ex exs go h hpp java js kt m mjs cjs php py rb rs scala swift ts'.split(' '),
);

/**
 * Whether a log line says the program failed to reach or use a network dependency, and which.
 * Reads the first 4,096 characters of the line. Undefined for a line about anything else, and for
 * a line about a connection this program served (Go's `http: TLS handshake error from CLIENT`, an
 * access log's `"GET /api HTTP/1.1" 401`).
 */
export function connectionFailureOf(line: string): ConnectionFailure | undefined {
  const text = line.slice(0, EXAMINED_CHARS);
  if (SERVED.some((pattern) => pattern.test(text))) return undefined;
  const wording = WORDINGS.find(
    ({ pattern, needsNetwork }) => pattern.test(text) && (needsNetwork !== true || NETWORK.test(text)),
  );
  if (wording === undefined) return undefined;
  const address = addressIn(text);
  if (address === undefined) return { failure: wording.failure };
  return {
    failure: wording.failure,
    host: address.host,
    ...(address.port === undefined ? {} : { port: address.port }),
  };
}

/** The dependency's address: the first shape that gives a plausible one; its port, else the port the line gives beside that host. */
function addressIn(text: string): Address | undefined {
  for (const shape of ADDRESS_SHAPES) {
    for (const match of text.matchAll(shape)) {
      const address = addressOfMatch(match.groups ?? {});
      if (address === undefined) continue;
      if (address.port !== undefined) return address;
      const port = portBeside(text, address.host);
      return port === undefined ? address : { host: address.host, port };
    }
  }
  return undefined;
}

function addressOfMatch(groups: Partial<Record<string, string>>): Address | undefined {
  if (groups.token !== undefined) return splitHostPort(groups.token);
  const name = groups.host === undefined ? undefined : normalHost(groups.host);
  const host =
    name !== undefined && plausibleHost(name)
      ? name
      : groups.ip === undefined
        ? undefined
        : normalHost(groups.ip);
  if (host === undefined || !plausibleHost(host)) return undefined;
  if (groups.ip !== undefined && !plausibleIp(normalHost(groups.ip))) return undefined;
  return withPort(host, groups.port);
}

/**
 * HOST, HOST:PORT, [IPv6]:PORT, or an unbracketed IPv6 literal whose last group is the port when
 * more than the `::` precedes it (Node prints `::1:6379`, Java `0:0:0:0:0:0:0:1:32770`).
 */
function splitHostPort(token: string): Address | undefined {
  const trimmed = trimEnd(token, '.:');
  if (trimmed.startsWith('[')) {
    const close = trimmed.indexOf(']');
    if (close < 0) return undefined;
    const host = normalHost(trimmed.slice(1, close));
    const rest = trimmed.slice(close + 1);
    if (!plausibleHost(host)) return undefined;
    return withPort(host, rest.startsWith(':') ? rest.slice(1) : undefined);
  }
  const last = trimmed.lastIndexOf(':');
  const first = trimmed.indexOf(':');
  if (last < 0) return plausibleOrUndefined(normalHost(trimmed));
  const before = trimmed.slice(0, last);
  const after = trimmed.slice(last + 1);
  const isPort = /^\d{1,5}$/.test(after);
  if (first === last) {
    const host = normalHost(before);
    return plausibleHost(host) ? withPort(host, isPort ? after : undefined) : undefined;
  }
  // Two or more colons: an IPv6 literal, with a port only if a whole address precedes it.
  if (isPort && !before.endsWith(':') && before.includes(':')) {
    const host = normalHost(before);
    if (plausibleHost(host)) return withPort(host, after);
  }
  return plausibleOrUndefined(normalHost(trimmed));
}

function plausibleOrUndefined(host: string): Address | undefined {
  return plausibleHost(host) ? { host } : undefined;
}

function withPort(host: string, port: string | undefined): Address {
  const number = port === undefined ? NaN : Number(port);
  return Number.isInteger(number) && number > 0 && number <= 65_535 ? { host, port: number } : { host };
}

/** Lower-cased, without brackets or a trailing dot. */
function normalHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return trimEnd(bare, '.').toLowerCase();
}

/** The string without any of `chars` at its end (a linear scan, no regex). */
function trimEnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

/** A host name, an IPv4 or an IPv6 literal; not a number, a source file, or a run of dots. */
function plausibleHost(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  if (host.includes(':')) return plausibleIp(host);
  if (!/^[\w-][\w.-]*$/.test(host)) return false;
  const labels = host.split('.');
  if (labels.some((label) => label.length === 0 || label.length > 63)) return false;
  if (labels.every((label) => /^\d+$/.test(label))) return plausibleIp(host);
  if (!/[a-z_]/i.test(host)) return false;
  return labels.length === 1 || !SOURCE_EXTENSIONS.has(labels[labels.length - 1] ?? '');
}

/** An IPv4 dotted quad, or an IPv6 literal (two or more colons, hex groups, maybe a zone). */
function plausibleIp(ip: string): boolean {
  if (ip.includes(':')) {
    const [address = '', zone] = ip.split('%');
    const colons = address.split(':').length - 1;
    return (
      colons >= 2 && colons <= 7 && /^[0-9a-f:.]+$/i.test(address) && (zone === undefined || zone.length > 0)
    );
  }
  const parts = ip.split('.');
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

/** The port the line gives right after `host:` (or `[host]:`) elsewhere, e.g. in a URL. */
function portBeside(text: string, host: string): number | undefined {
  const lower = text.toLowerCase();
  const needle = host.includes(':') ? `[${host}]:` : `${host}:`;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) {
    const before = at === 0 ? '' : lower.charAt(at - 1);
    if (/[\w.-]/.test(before)) continue;
    const digits = /^\d{1,5}(?!\d)/.exec(lower.slice(at + needle.length, at + needle.length + 6));
    if (digits === null) continue;
    const address = withPort(host, digits[0]);
    if (address.port !== undefined) return address.port;
  }
  return undefined;
}
