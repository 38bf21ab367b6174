#ifndef RT_WEB_JSON_INVITATIONS_H_
#define RT_WEB_JSON_INVITATIONS_H_

#include <nlohmann/json.hpp>

#include "app/invitations.h"

// The JSON shapes of the invitations API. Changing a field name breaks clients.
namespace rt::web::json {

// {"id","group":{"slug","name"},"email","note","state","created_at",
//  "expires_at","opened_at"|null,"accepted_at"|null}; state as at `now`.
nlohmann::json InvitationJson(const store::InvitationView& v, TimePoint now);

// {"group":{"slug","name"},"invited","remaining_today",
//  "results":[{"email","status":"invited"|"skipped","reason"|null,"message"|null}]}
nlohmann::json InviteOutcomeJson(const app::InviteOutcome& o);

// {"invitation":{"group":{"slug","name","summary","join_policy"},
//  "inviter":{"name"},"email","note","state","expires_at"},"requirement",
//  "next":"sign_in"|"accept"|"not_yet"|"already_member",
//  "reason"|null,"message"|null}
nlohmann::json InvitationLinkJson(const app::InvitationLink& l);

// {"joined","group":{"slug","name"}}: what accepting an invitation did.
nlohmann::json AcceptOutcomeJson(const app::AcceptOutcome& a);

// {"invitations":[InvitationJson...],"next":"<before id>"|null,
//  "to_me":[{"id","page_url","accept_url","group":{"slug","name"},
//  "inviter":{"name"},"expires_at","can_join_now","message"|null}]}
nlohmann::json InvitationsPageJson(const app::InvitationsPage& p);

}  // namespace rt::web::json

#endif  // RT_WEB_JSON_INVITATIONS_H_
