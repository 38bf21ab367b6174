#ifndef RT_APP_MAIL_QUEUE_H_
#define RT_APP_MAIL_QUEUE_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/discussions/conversation.h"
#include "domain/feedback/feedback.h"
#include "mail/outgoing.h"
#include "store/store.h"

namespace rt::app {

// Outbox rows of this kind are mail to send (drained by the mail sender in
// src/jobs/). Their payload is MailJobPayload's JSON.
inline constexpr char kMailKind[] = "mail";

// One message for one recipient, composed when it is queued.
struct MailJob {
  // Unique per message forever, e.g. "post:812:to:45" or
  // "verify:45:<token hash>": queueing the same key twice sends one mail,
  // so a crash and retry of the queueing transaction cannot send twice.
  std::string dedupe_key;
  // The recipient's account; invalid (0) for mail to an address without
  // one (an invitation). The sender skips mail to an account whose address
  // is paused for bouncing, or that no longer exists.
  AccountId account;
  // When set, the sender checks again at send time that `account` may still
  // read this group (a member who left or lapsed gets nothing more).
  std::optional<GroupId> group;
  // Sent because the account's delivery in `group` is real-time (not as a
  // notification to them): the sender also checks that they are still in
  // the group with that delivery.
  bool group_delivery = false;
  // Sent as a notification of this kind: the sender checks again that the
  // account still wants this kind by email (it may have unsubscribed since).
  std::optional<NotificationKind> notification;
  // Mail about feedback to a liaison: the sender checks again at send time
  // that `account` may still see this feedback (policy::CanSeeFeedback).
  FeedbackId feedback;
  mail::OutgoingMessage message;
  // An offer of the outcome check-in of this moment ("immediate" or
  // "follow_up") in `group`: the sender checks again at send time that
  // `account` may still check in there and has not done so since
  // (app/checkins.h WhyNotSendCheckin).
  std::string checkin_moment;
};

// Queues `job` as an outbox row of kMailKind, due at `now`, inside the
// caller's transaction (call ctx.OutboxChanged() after it commits). Returns
// false when a row with the same dedupe key exists already. Errors: the
// message's (mail::Validate: a bad message is refused here, not at send
// time), the store's.
Result<bool> QueueMail(store::Store& db, const MailJob& job, TimePoint now);

// The payload QueueMail stores, and back. ParseMailJob fails with
// kInvalidInput "mail_job_invalid" for anything MailJobPayload did not make.
std::string MailJobPayload(const MailJob& job);
Result<MailJob> ParseMailJob(std::string_view payload);

}  // namespace rt::app

#endif  // RT_APP_MAIL_QUEUE_H_
