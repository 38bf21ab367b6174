// The composition root: parses the command line, wires the layers together
// and runs one verb. Every verb prints a one-line result and exits non-zero
// with a clear message on failure.
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/account_mail.h"
#include "app/accounts.h"
#include "app/association_settings.h"
#include "app/demo.h"
#include "app/checkins.h"
#include "app/digests.h"
#include "app/discussions.h"
#include "app/groups.h"
#include "app/housekeeping.h"
#include "app/mail_ingest.h"
#include "app/members_import.h"
#include "core/crypto.h"
#include "http/server.h"
#include "app/resources.h"
#include "store/file_store.h"
#include "jobs/mail_sender.h"
#include "jobs/outbox_runner.h"
#include "jobs/periodic.h"
#include "store/store.h"
#include "web/templates.h"
#include "web/web_app.h"

namespace rt {
namespace {

int Fail(const std::string& what, const Error& e) {
  std::cerr << "roundtable: " << what << ": " << e.message << " (" << e.code << ")\n";
  return 1;
}

// Splits "host:port"; port 0 is allowed (a free port).
bool ParseListen(const std::string& s, std::string* host, int* port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = s.substr(0, colon);
  try {
    size_t used = 0;
    *port = std::stoi(s.substr(colon + 1), &used);
    return used == s.size() - colon - 1 && *port >= 0 && *port <= 65535;
  } catch (...) {
    return false;
  }
}

// Opens the database and brings its schema up to date.
Result<std::unique_ptr<store::StorePool>> OpenDatabase(const Config& config, bool migrate) {
  auto pool = std::make_unique<store::StorePool>(config.DatabaseUrl());
  RT_ASSIGN_OR_RETURN(store::Store * db, pool->ForThisThread());
  if (migrate) {
    RT_ASSIGN_OR_RETURN(int applied, db->Migrate());
    if (applied > 0) spdlog::info("applied {} migration(s)", applied);
    // Stored post HTML follows the current Markdown renderer.
    SystemClock clock;
    app::AppContext ctx{pool.get(), &clock, "", nullptr, {}};
    RT_ASSIGN_OR_RETURN(int rendered, app::DiscussionsService(ctx).RerenderStale());
    if (rendered > 0) spdlog::info("re-rendered {} post(s) for the new Markdown renderer", rendered);
  }
  return pool;
}

// The mail sender for this process, chained to the outbox runner's signal;
// none without --smtp-url (mail then waits in the outbox, said once here).
Result<std::unique_ptr<jobs::MailSender>> StartMailSender(const app::AppContext& ctx,
                                                          app::OutboxSignal& runner_signal,
                                                          app::OutboxSignal& mail_signal) {
  if (ctx.mail.smtp_url.empty()) {
    spdlog::warn("no --smtp-url: mail is queued in the outbox and not sent");
    return std::unique_ptr<jobs::MailSender>();
  }
  RT_ASSIGN_OR_RETURN(std::unique_ptr<jobs::MailSender> sender,
                      jobs::MailSender::Create(ctx, mail_signal));
  runner_signal.Chain(&mail_signal);
  sender->Start();
  return sender;
}

// Hourly housekeeping (app::Housekeep) for the process that runs the worker;
// the first run a minute after start, out of the way of start-up.
std::unique_ptr<jobs::Periodic> StartHousekeeper(const app::AppContext& ctx) {
  auto h = std::make_unique<jobs::Periodic>(std::chrono::minutes(1), std::chrono::hours(1), [&ctx] {
    auto n = app::Housekeep(ctx, ctx.Now());
    if (!n.ok()) {
      spdlog::warn("housekeeping failed: {}", n.error().message);
    } else if (n->total() > 0) {
      spdlog::info("housekeeping deleted {} session(s), {} token(s), {} outbox row(s), {} idempotency key(s)",
                   n->sessions, n->tokens, n->outbox, n->idempotency);
    }
  });
  h->Start();
  return h;
}

// Hourly check-in offers (app::CheckinsService::SendOffers) for the process
// that runs the worker. Nothing about them is urgent: the first run waits a
// quarter of an hour, out of the way of start-up and of short-lived servers.
std::unique_ptr<jobs::Periodic> StartCheckinOffers(const app::AppContext& ctx) {
  auto p = std::make_unique<jobs::Periodic>(std::chrono::minutes(15), std::chrono::hours(1), [&ctx] {
    auto run = app::CheckinsService(ctx).SendOffers();
    if (!run.ok()) {
      spdlog::warn("check-in offers failed: {}", run.error().message);
    } else if (run->mailed + run->skipped > 0) {
      spdlog::info("check-in offers: {} queued, {} recorded without mail", run->mailed,
                   run->skipped);
    }
  });
  p->Start();
  return p;
}

int Serve(const Config& config) {
  auto started = std::chrono::steady_clock::now();
  std::string host;
  int port = 0;
  if (!ParseListen(config.listen, &host, &port)) {
    std::cerr << "roundtable: --listen must look like 127.0.0.1:8080\n";
    return 2;
  }
  if (std::string err = web::Templates::Validate(); !err.empty()) {
    std::cerr << "roundtable: template error: " << err << "\n";
    return 1;
  }
  auto pool = OpenDatabase(config, /*migrate=*/true);
  if (!pool.ok()) return Fail("cannot open the database", pool.error());
  SystemClock clock;
  app::OutboxSignal outbox_signal;
  // Declared before the runners: the outbox runner's signal chains to it.
  app::OutboxSignal mail_signal;
  app::AppContext ctx{pool->get(), &clock, "", nullptr, {}};
  ctx.mail = config.Mail();
  std::optional<jobs::OutboxRunner> runner;
  if (config.worker) {
    // Woken by this process's commits; polls for everyone else's.
    ctx.outbox_signal = &outbox_signal;
    runner.emplace(ctx, outbox_signal);
  }
  // Shared files: orphans of interrupted uploads are reclaimed at start
  // (and by `roundtable resources gc`).
  store::FileStore files(config.ResourceFilesDir());
  if (Status fs = files.Init(); !fs.ok()) return Fail("cannot store files", fs.error());
  app::ResourceLimits resource_limits{int64_t{config.max_upload_mb} * 1024 * 1024,
                                      int64_t{config.upload_quota_mb} * 1024 * 1024};
  {
    auto reclaimed = app::ResourcesService(ctx, &files, resource_limits)
                         .ReclaimOrphans(app::kOrphanGrace);
    if (reclaimed.ok() && reclaimed->objects + reclaimed->temps > 0) {
      spdlog::info("reclaimed {} orphan file(s) and {} abandoned upload(s)", reclaimed->objects,
                   reclaimed->temps);
    }
  }
  web::WebOptions web_options{config.base_url, config.login, config.mail_limits, nullptr, {}};
  web_options.files = &files;
  web_options.resource_limits = resource_limits;
  web_options.invite_limits = config.invite_limits;
  web::WebApp app(ctx, std::move(web_options));
  http::ServerOptions options;
  // Only the share routes take large (multipart) bodies: the file plus room
  // for the form's other fields.
  options.uploads.accepts = [&app](const http::Request& head) { return app.MayUpload(head); };
  options.uploads.max_body_bytes =
      static_cast<uint64_t>(resource_limits.max_file_bytes) + 256 * 1024;
  options.uploads.spool_dir = files.root() + "/tmp";
  options.host = host;
  options.port = port;
  options.threads = config.threads;
  options.write_threads = config.write_threads;
  options.access_log = config.access_log;
  options.limits = config.limits;
  http::Server server(options, [&app](http::Request& req) { return app.Handle(req); });
  Status s = server.Listen();
  if (!s.ok()) return Fail("cannot listen on " + config.listen, s.error());
  std::unique_ptr<jobs::MailSender> mail_sender;
  std::unique_ptr<jobs::Periodic> housekeeper;
  std::unique_ptr<jobs::Periodic> checkin_offers;
  if (runner) {
    auto sender = StartMailSender(ctx, outbox_signal, mail_signal);
    if (!sender.ok()) return Fail("cannot send mail", sender.error());
    mail_sender = std::move(*sender);
    runner->Start();
    housekeeper = StartHousekeeper(ctx);
    checkin_offers = StartCheckinOffers(ctx);
  }
  server.Run([&] {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    spdlog::info("serving on http://{}:{} ({} ms to ready)", host, server.port(), ms);
  });
  // After the server: the last requests' outbox rows get a pass before
  // the runner sees the stop (and whatever is left waits in the outbox).
  if (housekeeper) housekeeper->Stop();
  if (checkin_offers) checkin_offers->Stop();
  if (runner) runner->Stop();
  if (mail_sender) mail_sender->Stop();
  spdlog::info("stopped");
  return 0;
}

// `roundtable worker`: the outbox runner without HTTP, until SIGTERM/SIGINT.
int Worker(const Config& config) {
  // Blocked before the runner's thread starts so that it inherits the mask
  // and the signals reach sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto pool = OpenDatabase(config, /*migrate=*/true);
  if (!pool.ok()) return Fail("cannot open the database", pool.error());
  SystemClock clock;
  app::OutboxSignal outbox_signal;
  app::OutboxSignal mail_signal;  // chained from outbox_signal: must outlive the runner
  app::AppContext ctx{pool->get(), &clock, "", nullptr, {}};
  ctx.mail = config.Mail();
  jobs::OutboxRunner runner(ctx, outbox_signal);
  auto mail_sender = StartMailSender(ctx, outbox_signal, mail_signal);
  if (!mail_sender.ok()) return Fail("cannot send mail", mail_sender.error());
  runner.Start();
  std::unique_ptr<jobs::Periodic> housekeeper = StartHousekeeper(ctx);
  std::unique_ptr<jobs::Periodic> checkin_offers = StartCheckinOffers(ctx);
  spdlog::info("worker running on {}", config.DatabaseUrl());
  int sig = 0;
  sigwait(&stop_signals, &sig);
  housekeeper->Stop();
  checkin_offers->Stop();
  runner.Stop();
  if (*mail_sender) (*mail_sender)->Stop();
  spdlog::info("worker stopped");
  return 0;
}

// Reads standard input up to `limit` bytes. Past it, sets *truncated and
// reads on without keeping anything (so the MTA's write does not fail), up
// to a bound. nullopt when the read fails.
std::optional<std::string> ReadStdinBounded(size_t limit, bool* truncated) {
  constexpr size_t kMaxDiscarded = 256 * 1024 * 1024;
  std::string out;
  std::string buf(64 * 1024, '\0');
  size_t discarded = 0;
  *truncated = false;
  while (discarded <= kMaxDiscarded) {
    ssize_t n = read(STDIN_FILENO, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    size_t room = limit - out.size();
    out.append(buf.data(), std::min(room, static_cast<size_t>(n)));
    if (static_cast<size_t>(n) > room) {
      *truncated = true;
      discarded += static_cast<size_t>(n) - room;
    }
  }
  return out;
}

// `roundtable mail ingest`: one message on stdin, as an MTA pipe delivers
// it. The exit status is for the MTA (app::ExitStatus); stdout says what
// happened in one line, and on a bounce the MTA quotes stderr to the sender.
int IngestMail(const Config& config, const std::string& recipient,
               const std::optional<std::string>& sender) {
  bool truncated = false;
  std::optional<std::string> raw = ReadStdinBounded(app::kMaxInboundBytes, &truncated);
  if (!raw) {
    std::cerr << "roundtable: cannot read the message from standard input\n";
    return app::kExitTempFail;
  }
  auto pool = OpenDatabase(config, /*migrate=*/true);
  if (!pool.ok()) {
    Fail("cannot open the database", pool.error());
    return app::kExitTempFail;
  }
  SystemClock clock;
  app::AppContext ctx;
  ctx.pool = pool->get();
  ctx.clock = &clock;
  ctx.mail = config.Mail();
  // A permanent delivery failure pauses the member's mail (they see it on
  // their next visit and can resume it with one click).
  app::MailIngestService service(
      ctx, [](store::Store& db, const app::BouncedAccount& b, TimePoint now) {
        std::string reason = b.status;
        if (!b.diagnostic.empty()) reason += " " + b.diagnostic;
        return db.accounts().PauseMail(b.account, reason, now);
      });
  Result<app::IngestReport> r = service.Ingest({*raw, truncated, recipient, sender});
  int status = app::ExitStatus(r);
  if (!r.ok()) {
    Fail("mail ingest failed, the MTA will retry", r.error());
    return status;
  }
  std::string line = std::string(app::ToString(r->outcome)) + " (" + r->reason + ")";
  if (r->created) {
    line += " thread " + std::to_string(r->created->thread.value) + " post " +
            std::to_string(r->created->post.value);
  }
  if (r->answered) line += ", answered";
  if (!r->not_answered.empty()) line += ", not answered: " + r->not_answered;
  for (const app::BouncedAccount& b : r->bounced) {
    spdlog::warn("mail to {} bounced permanently: {} {}", b.address, b.status, b.diagnostic);
  }
  // A report we did not trust may be a forgery meant to pause someone's
  // mail: say what it claimed.
  if (r->reason == "unauthenticated_bounce" || r->reason == "bounce_recipient_mismatch") {
    spdlog::warn("delivery report to {} dropped: {}", recipient, r->detail);
  }
  // Postfix quotes the command's output in its log (and, on a bounce, to
  // the sender): the outcome first, then the reason in plain words.
  std::cout << line << std::endl;
  if (status != app::kExitOk) std::cerr << "roundtable: " << r->detail << "\n";
  return status;
}

// Reads "2026-03-02T13:00:00Z" (also with +HH:MM / -HH:MM instead of Z).
std::optional<TimePoint> ParseTimeArg(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
      h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  std::optional<Date> date = Date::ParseIso(s.substr(0, 10));
  if (!date) return std::nullopt;
  std::string zone = s.substr(static_cast<size_t>(used));
  int offset = 0;
  if (zone != "Z") {
    int oh = 0, om = 0, n = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
        std::sscanf(zone.c_str() + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5) {
      return std::nullopt;
    }
    offset = (zone[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return FromUnix(int64_t{date->days()} * 86400 + h * 3600 + mi * 60 + sec - offset);
}

// A clock stopped at one time: `checkins send --now` runs as of then.
class StoppedClock final : public Clock {
 public:
  explicit StoppedClock(TimePoint t) : t_(t) {}
  TimePoint Now() const override { return t_; }

 private:
  TimePoint t_;
};

// `roundtable checkins send`: queues the check-in offers due at --now (one
// run of what `serve` and `worker` do hourly; the mail sender delivers
// them).
int SendCheckinOffers(const Config& config, const std::string& now_text) {
  TimePoint now = std::chrono::system_clock::now();
  if (!now_text.empty()) {
    std::optional<TimePoint> t = ParseTimeArg(now_text);
    if (!t) {
      std::cerr << "roundtable: --now must be an ISO 8601 time such as 2026-03-02T13:00:00Z\n";
      return 1;
    }
    now = *t;
  }
  auto pool = OpenDatabase(config, /*migrate=*/true);
  if (!pool.ok()) return Fail("cannot open the database", pool.error());
  StoppedClock clock(now);
  app::AppContext ctx{pool->get(), &clock, "", nullptr, {}};
  ctx.mail = config.Mail();
  auto run = app::CheckinsService(ctx).SendOffers();
  if (!run.ok()) return Fail("check-in offers failed", run.error());
  std::cout << run->mailed << " check-in offer(s) queued, " << run->skipped
            << " recorded without mail\n";
  return 0;
}

// `roundtable digests send`: queues the digests due at --now (the mail
// sender of `serve` or `worker` delivers them). Progress on stderr, the
// summary on stdout.
int SendDigests(const Config& config, const std::string& period, const std::string& now_text,
                bool dry_run) {
  app::DigestRunOptions options;
  options.period = period == "weekly" ? Delivery::kWeekly : Delivery::kDaily;
  options.dry_run = dry_run;
  options.now = std::chrono::system_clock::now();
  if (!now_text.empty()) {
    std::optional<TimePoint> now = ParseTimeArg(now_text);
    if (!now) {
      std::cerr << "roundtable: --now must be an ISO 8601 time such as 2026-03-02T13:00:00Z\n";
      return 1;
    }
    options.now = *now;
  }
  auto pool = OpenDatabase(config, /*migrate=*/true);
  if (!pool.ok()) return Fail("cannot open the database", pool.error());
  SystemClock clock;
  app::AppContext ctx{pool->get(), &clock, "", nullptr, {}};
  ctx.mail = config.Mail();
  auto db = ctx.Db();
  if (!db.ok()) return Fail("cannot open the database", db.error());
  auto tokens = app::MailTokens::Load(**db);
  if (!tokens.ok()) return Fail("cannot read the mail keys", tokens.error());
  bool tty = isatty(STDERR_FILENO);
  const auto started = std::chrono::steady_clock::now();
  options.progress = [tty](int done, int total) {
    std::cerr << (tty ? "\r" : "") << "digests: " << done << " of " << total << " built"
              << (tty ? "" : "\n") << std::flush;
  };
  auto report = app::DigestService(ctx, *std::move(tokens)).Send(options);
  if (tty) std::cerr << "\n";
  if (!report.ok()) return Fail("digests failed", report.error());
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started).count();
  spdlog::info("{} {} digest run{} in {} ms ({} not due)", report->sent + report->skipped,
               period, dry_run ? " (dry run)" : "", ms, report->not_due);
  std::cout << report->Summary() << (dry_run ? " (dry run: nothing queued)" : "") << std::endl;
  return report->failed > 0 ? 1 : 0;
}

// Reads a password from stdin (one line), without echo on a terminal.
std::string ReadPassword() {
  bool tty = isatty(STDIN_FILENO);
  if (tty) std::cerr << "Password (12 characters or more): " << std::flush;
  if (tty) std::system("stty -echo 2>/dev/null");
  std::string pw;
  std::getline(std::cin, pw);
  if (tty) {
    std::system("stty echo 2>/dev/null");
    std::cerr << "\n";
  }
  if (!pw.empty() && pw.back() == '\r') pw.pop_back();
  return pw;
}

}  // namespace
}  // namespace rt

int main(int argc, char** argv) {
  // Pages are built in buffers of tens of KB that are freed after each
  // response. With glibc's defaults each thread's heap gives that memory back
  // to the kernel and faults it in again on the next request (6% of a thread
  // page's time under load); keep freed memory up to a few MB per heap instead,
  // and cap the heaps, whose count would otherwise grow with the write threads.
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_ARENA_MAX, 2);
  using namespace rt;
  if (!crypto::Init()) {
    std::cerr << "roundtable: libsodium failed to start\n";
    return 1;
  }
  // Logs go to stderr so that stdout carries only each verb's result.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("roundtable"));
  Config config;
  CLI::App cli{"Roundtable: the online home of an association's interest groups"};
  cli.require_subcommand(1);
  auto add_db_options = [&](CLI::App* sub) {
    sub->add_option("--data", config.data_dir, "Data folder (holds roundtable.db)")
        ->envname("ROUNDTABLE_DATA");
    sub->add_option("--database", config.database, "Database URL: sqlite:PATH")
        ->envname("ROUNDTABLE_DATABASE");
  };

  // Everything that sends mail or writes links into it.
  auto add_mail_options = [&](CLI::App* sub) {
    sub->add_option("--base-url", config.base_url, "Public URL of the site")
        ->envname("ROUNDTABLE_BASE_URL");
    sub->add_option("--smtp-url", config.mail.smtp_url,
                    "Where to submit mail: smtp://[user:password@]host:port or smtps://...; "
                    "without it mail waits in the outbox")
        ->envname("ROUNDTABLE_SMTP_URL");
    sub->add_option("--smtp-starttls", config.mail.starttls,
                    "STARTTLS on smtp:// URLs: try, required or never")
        ->envname("ROUNDTABLE_SMTP_STARTTLS")
        ->check(CLI::IsMember({"try", "required", "never"}));
    sub->add_option("--mail-domain", config.mail.domain,
                    "Domain of reply, group and bounce addresses (default: the host of --base-url)")
        ->envname("ROUNDTABLE_MAIL_DOMAIN");
    sub->add_option("--mail-from", config.mail.from_address,
                    "Sender address of account mail (default: noreply@ the mail domain)")
        ->envname("ROUNDTABLE_MAIL_FROM");
  };

  CLI::App* serve = cli.add_subcommand("serve", "Serve the web site and the JSON API");
  add_db_options(serve);
  add_mail_options(serve);
  serve->add_option("--listen", config.listen, "Address to listen on, host:port")
      ->envname("ROUNDTABLE_LISTEN");
  serve->add_option("--threads", config.threads, "Server threads (0 = one per core)")
      ->envname("ROUNDTABLE_THREADS");
  serve->add_option("--write-threads", config.write_threads,
                    "Threads for requests that may write; concurrent writes "
                    "share one commit (0 = on the server threads)")
      ->envname("ROUNDTABLE_WRITE_THREADS")
      ->check(CLI::Range(0, 1024));
  serve->add_option("--read-timeout", config.limits.read_timeout_seconds,
                    "Seconds allowed to read one request");
  serve->add_option("--idle-timeout", config.limits.idle_timeout_seconds,
                    "Seconds an idle keep-alive connection stays open");
  serve->add_option("--login-max-failures", config.login.max_failures_per_account,
                    "Failed sign-ins before an account must wait");
  serve->add_option("--login-lockout", config.login.lockout_seconds,
                    "First wait, in seconds, after too many failed sign-ins");
  serve->add_option("--login-max-failures-per-ip", config.login.max_failures_per_ip,
                    "Failed sign-ins from one address before it must wait");
  serve->add_option("--mail-max-per-ip", config.mail_limits.max_per_ip,
                    "Requests that send account mail (reset, new link, email change) from "
                    "one address per hour");
  serve
      ->add_option("--invite-max-per-ip", config.invite_limits.max_per_ip,
                   "Invitations sent from one address per hour (default 100)")
      ->check(CLI::Range(1, 1000000));
  bool quiet = false;
  serve->add_option("--max-upload-mb", config.max_upload_mb,
                    "Largest file a member may share, in MB (default 25)")
      ->envname("ROUNDTABLE_MAX_UPLOAD_MB")
      ->check(CLI::Range(1, 1024));
  serve->add_option("--upload-quota-mb", config.upload_quota_mb,
                    "Space all of one member's shared files may take, in MB (default 200)")
      ->envname("ROUNDTABLE_UPLOAD_QUOTA_MB")
      ->check(CLI::Range(1, 1 << 20));
  serve->add_flag("--no-access-log", quiet, "Do not log each request");
  bool no_worker = false;
  serve->add_flag("--no-worker", no_worker,
                  "Do not run the outbox worker in this process (run `roundtable worker` "
                  "instead)");

  CLI::App* worker = cli.add_subcommand(
      "worker", "Run the outbox worker (notifications of new posts, and mail with --smtp-url) "
                "without serving; "
                "stops on SIGTERM");
  add_db_options(worker);
  add_mail_options(worker);

  CLI::App* migrate = cli.add_subcommand("migrate", "Apply database migrations");
  add_db_options(migrate);

  CLI::App* housekeep = cli.add_subcommand(
      "housekeep", "Delete expired sessions, spent tokens and old outbox rows now (the worker "
                   "does this hourly)");
  add_db_options(housekeep);

  CLI::App* seed = cli.add_subcommand("seed-demo", "Create the demo association and accounts");
  add_db_options(seed);
  bool no_discussions = false;
  seed->add_flag("--no-discussions", no_discussions, "Leave the groups without sample threads");

  CLI::App* members = cli.add_subcommand("members", "Association memberships");
  members->require_subcommand(1);
  CLI::App* import = members->add_subcommand("import", "Import memberships from CSV");
  add_db_options(import);
  std::string csv_path, association = "pla";
  import->add_option("file", csv_path, "CSV with columns email,member_type,paid_through")
      ->required();
  import->add_option("--association", association, "Association slug");

  CLI::App* accounts = cli.add_subcommand("accounts", "Accounts");
  accounts->require_subcommand(1);
  CLI::App* create = accounts->add_subcommand(
      "create", "Create an account; the password is read from standard input");
  add_db_options(create);
  std::string email, name;
  bool admin = false;
  create->add_option("--email", email, "Email address")->required();
  create->add_option("--name", name, "Full name")->required();
  create->add_flag("--admin", admin, "Make the account an association admin");
  CLI::App* verify = accounts->add_subcommand(
      "verify", "Mark an account's email address verified and attach its memberships");
  add_db_options(verify);
  verify->add_option("email", email, "Email address of the account")->required();

  CLI::App* groups = cli.add_subcommand("groups", "Interest groups");
  groups->require_subcommand(1);
  CLI::App* add_liaison = groups->add_subcommand("add-liaison", "Make an account a staff liaison");
  add_db_options(add_liaison);
  std::string slug;
  add_liaison->add_option("slug", slug, "Group slug")->required();
  add_liaison->add_option("email", email, "Email of the liaison's account")->required();
  CLI::App* remove_liaison = groups->add_subcommand(
      "remove-liaison",
      "Make a staff liaison an ordinary member; their open feedback moves to another liaison");
  add_db_options(remove_liaison);
  remove_liaison->add_option("slug", slug, "Group slug")->required();
  remove_liaison->add_option("email", email, "Email of the liaison's account")->required();
  CLI::App* add_moderator =
      groups->add_subcommand("add-moderator", "Make an account a moderator of a group");
  add_db_options(add_moderator);
  add_moderator->add_option("slug", slug, "Group slug")->required();
  add_moderator->add_option("email", email, "Email of the moderator's account")->required();
  CLI::App* set_default_delivery = groups->add_subcommand(
      "set-default-delivery",
      "Choose how people who join a group from now on get its mail (members keep theirs)");
  add_db_options(set_default_delivery);
  std::string delivery_name;
  set_default_delivery->add_option("slug", slug, "Group slug")->required();
  set_default_delivery->add_option("delivery", delivery_name, "realtime, daily, weekly or none")
      ->required()
      ->check(CLI::IsMember({"realtime", "daily", "weekly", "none"}));

  CLI::App* resources = cli.add_subcommand("resources", "Shared files of the groups' libraries");
  resources->require_subcommand(1);
  CLI::App* resources_gc = resources->add_subcommand(
      "gc", "Delete stored files no resource names, and abandoned uploads (older than an hour)");
  add_db_options(resources_gc);
  int gc_grace_minutes = 60;
  resources_gc->add_option("--grace-minutes", gc_grace_minutes,
                           "Leave files younger than this alone (uploads in flight)")
      ->check(CLI::Range(0, 100000));
  CLI::App* mail = cli.add_subcommand("mail", "Incoming mail");
  mail->require_subcommand(1);
  CLI::App* ingest = mail->add_subcommand(
      "ingest",
      "Read one RFC 5322 message on standard input, as an MTA pipe delivers it, and post it "
      "or refuse it (docs/inbound-mail.md). Exit status for the MTA: 0 done (posted, a duplicate, "
      "machine mail dropped, a bounce recorded, or refused with our own answer); 65 "
      "unreadable, the MTA should bounce it; 67 no such address; 75 database unavailable "
      "or busy, the MTA should retry later");
  add_db_options(ingest);
  add_mail_options(ingest);
  std::string envelope_recipient, envelope_sender;
  ingest->add_option("--recipient", envelope_recipient,
                     "Envelope recipient (Postfix ${recipient})");
  CLI::Option* sender_option = ingest->add_option(
      "--sender", envelope_sender,
      "Envelope sender (Postfix ${sender}); empty or MAILER-DAEMON is the null sender");
  CLI::App* reply_address = mail->add_subcommand(
      "reply-address", "Print the reply address of an account for a thread (for support and "
                       "tests)");
  add_db_options(reply_address);
  add_mail_options(reply_address);
  int64_t thread_id = 0;
  reply_address->add_option("--email", email, "Email of the account")->required();
  reply_address->add_option("--thread", thread_id, "Thread id")->required();
  CLI::App* bounce_address = mail->add_subcommand(
      "bounce-address", "Print the bounce address of an account, the envelope sender of its "
                        "mail (for support and tests)");
  add_db_options(bounce_address);
  add_mail_options(bounce_address);
  bounce_address->add_option("--email", email, "Email of the account")->required();

  CLI::App* checkins = cli.add_subcommand("checkins", "Outcome check-ins (issue 7)");
  checkins->require_subcommand(1);
  CLI::App* checkins_send = checkins->add_subcommand(
      "send", "Queue the check-in offers due now (serve and worker do it hourly)");
  add_db_options(checkins_send);
  add_mail_options(checkins_send);
  std::string checkins_now;
  checkins_send->add_option("--now", checkins_now,
                            "Run as of this time (ISO 8601, e.g. 2026-03-02T13:00:00Z)");

  CLI::App* digests = cli.add_subcommand("digests", "Digest mail");
  digests->require_subcommand(1);
  CLI::App* digests_send = digests->add_subcommand(
      "send", "Queue the digests due now: run it hourly from a scheduler (docs/digests.md)");
  add_db_options(digests_send);
  add_mail_options(digests_send);
  std::string digest_period, digest_now;
  bool digest_dry_run = false;
  digests_send->add_option("--period", digest_period, "daily or weekly")
      ->required()
      ->check(CLI::IsMember({"daily", "weekly"}));
  digests_send->add_option("--now", digest_now,
                           "The time to act as if it were, ISO 8601 (default: now)");
  digests_send->add_flag("--dry-run", digest_dry_run, "Build and count, queue nothing");
  CLI::App* digests_schedule =
      digests->add_subcommand("schedule",
                              "Print when digests go out, after changing it "
                              "when options are given (docs/digests.md)");
  add_db_options(digests_schedule);
  int schedule_hour = 0;
  std::string schedule_weekday, schedule_zone;
  CLI::Option* hour_option = digests_schedule->add_option(
      "--hour", schedule_hour,
      "Hour digests go out, 0-23, in each member's time zone");
  CLI::Option* weekday_option = digests_schedule->add_option(
      "--weekday", schedule_weekday,
      "Day weekly digests go out: monday .. sunday");
  CLI::Option* zone_option = digests_schedule->add_option(
      "--time-zone", schedule_zone,
      "IANA time zone for members without their own");

  CLI11_PARSE(cli, argc, argv);
  config.access_log = !quiet;
  config.worker = !no_worker;

  if (serve->parsed()) return Serve(config);
  if (worker->parsed()) return Worker(config);
  if (checkins_send->parsed()) return SendCheckinOffers(config, checkins_now);
  if (digests_send->parsed()) {
    return SendDigests(config, digest_period, digest_now, digest_dry_run);
  }
  if (ingest->parsed()) {
    std::optional<std::string> sender;
    if (sender_option->count() > 0) sender = envelope_sender;
    return IngestMail(config, envelope_recipient, sender);
  }

  auto pool = OpenDatabase(config, /*migrate=*/true);
  if (!pool.ok()) return Fail("cannot open the database", pool.error());
  SystemClock clock;
  app::AppContext ctx{pool->get(), &clock, association, nullptr, {}};

  if (reply_address->parsed()) {
    ctx.mail = config.Mail();
    auto address = app::ReplyAddressFor(ctx, email, ThreadId{thread_id});
    if (!address.ok()) return Fail("no reply address", address.error());
    std::cout << *address << "\n";
    return 0;
  }
  if (bounce_address->parsed()) {
    ctx.mail = config.Mail();
    auto address = app::BounceAddressFor(ctx, email);
    if (!address.ok()) return Fail("no bounce address", address.error());
    std::cout << *address << "\n";
    return 0;
  }
  if (resources_gc->parsed()) {
    store::FileStore files(config.ResourceFilesDir());
    if (Status fs = files.Init(); !fs.ok()) return Fail("cannot reach the files", fs.error());
    auto r = app::ResourcesService(ctx, &files, {})
                 .ReclaimOrphans(std::chrono::minutes(gc_grace_minutes));
    if (!r.ok()) return Fail("gc failed", r.error());
    std::cout << "reclaimed " << r->objects << " orphan file(s) and " << r->temps
              << " abandoned upload(s)\n";
    return 0;
  }
  if (migrate->parsed()) {
    std::cout << "database is up to date (" << config.DatabaseUrl() << ")\n";
    return 0;
  }
  if (housekeep->parsed()) {
    auto n = app::Housekeep(ctx, ctx.Now());
    if (!n.ok()) return Fail("housekeeping failed", n.error());
    std::cout << "deleted " << n->sessions << " expired session(s), " << n->tokens
              << " spent account token(s), " << n->outbox << " sent outbox row(s), "
              << n->idempotency << " idempotency key(s)\n";
    return 0;
  }
  if (seed->parsed()) {
    auto report = app::DemoSeeder(ctx).Seed(/*with_discussions=*/!no_discussions);
    if (!report.ok()) return Fail("seed-demo failed", report.error());
    std::cout << "Demo ready: " << report->groups << " interest groups. Sign in with password '"
              << report->password << "' as:\n";
    for (const app::DemoLogin& l : report->logins) {
      std::cout << "  " << l.email << "  (" << l.who << ")\n";
    }
    return 0;
  }
  if (import->parsed()) {
    std::ifstream in(csv_path, std::ios::binary);
    if (!in) {
      std::cerr << "roundtable: cannot read " << csv_path << "\n";
      return 1;
    }
    bool tty = isatty(STDERR_FILENO);
    auto report = app::MembersImporter(ctx).Import(in, association, [tty](int lines) {
      std::cerr << (tty ? "\r" : "") << "imported through line " << lines << (tty ? "" : "\n")
                << std::flush;
    });
    if (tty) std::cerr << "\n";
    if (!report.ok()) return Fail("import failed", report.error());
    for (const app::ImportRejection& r : report->rejected) {
      std::cout << "line " << r.line << ": rejected: " << r.reason << "\n";
    }
    std::cout << report->Summary() << "\n";
    return 0;
  }
  if (create->parsed()) {
    std::string password = ReadPassword();
    auto account = app::AccountsService(ctx).CreateByOperator({name, email, password}, admin);
    if (!account.ok()) return Fail("cannot create the account", account.error());
    std::cout << "created " << (admin ? "admin " : "") << "account " << account->email << "\n";
    return 0;
  }
  if (verify->parsed()) {
    auto v = app::AccountMailService(ctx).VerifyByOperator(email);
    if (!v.ok()) return Fail("cannot verify " + email, v.error());
    std::cout << "verified " << v->email << " (" << v->memberships_attached << " membership"
              << (v->memberships_attached == 1 ? "" : "s") << " attached)\n";
    return 0;
  }
  if (set_default_delivery->parsed()) {
    auto g = app::GroupsService(ctx).SetDefaultDeliveryAsOperator(
        slug, *ParseDelivery(delivery_name));
    if (!g.ok()) return Fail("cannot change the group", g.error());
    std::cout << "people who join " << g->name << " now get: " << delivery_name << "\n";
    return 0;
  }
  if (digests_schedule->parsed()) {
    app::DigestScheduleChange change;
    if (hour_option->count() > 0) change.hour = schedule_hour;
    if (weekday_option->count() > 0) {
      change.weekday = app::WeekdayNamed(schedule_weekday);
      if (!change.weekday) {
        std::cerr
            << "roundtable: --weekday must be a day's name, monday to sunday\n";
        return 1;
      }
    }
    if (zone_option->count() > 0) change.time_zone = schedule_zone;
    app::AssociationSettingsService settings(ctx);
    auto s = change.empty() ? settings.GetDigestScheduleAsOperator()
                            : settings.SetDigestScheduleAsOperator(change);
    if (!s.ok()) return Fail("cannot change the digest schedule", s.error());
    std::cout << "digests go out at " << (s->hour < 10 ? "0" : "") << s->hour
              << ":00 " << s->time_zone
              << " (or the member's own time zone); weekly ones on "
              << app::WeekdayName(s->weekday) << "\n";
    return 0;
  }
  if (remove_liaison->parsed()) {
    auto g = app::GroupsService(ctx).RemoveLiaison(slug, email);
    if (!g.ok()) return Fail("cannot remove the liaison", g.error());
    std::cout << email << " is no longer a staff liaison of " << g->listing.group.name << "\n";
    return 0;
  }
  if (add_liaison->parsed() || add_moderator->parsed()) {
    bool liaison = add_liaison->parsed();
    auto g = app::GroupsService(ctx).AssignRole(slug, email,
                                                liaison ? GroupRole::kLiaison : GroupRole::kModerator);
    if (!g.ok()) return Fail(liaison ? "cannot add the liaison" : "cannot add the moderator", g.error());
    std::cout << email << " is now a " << (liaison ? "staff liaison" : "moderator") << " of "
              << g->listing.group.name << "\n";
    return 0;
  }
  return 0;
}
