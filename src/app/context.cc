#include "app/context.h"

namespace rt::app {

Result<Association> LoadAssociation(const AppContext& ctx, store::Store& db) {
  std::string slug = ctx.association_slug.empty() ? "pla" : ctx.association_slug;
  RT_ASSIGN_OR_RETURN(std::optional<Association> a, db.associations().FindBySlug(slug));
  if (!a) {
    return MakeError(ErrorKind::kNotFound, "association_not_found",
                     "This installation has no association called '" + slug +
                         "' yet. Run 'roundtable seed-demo' or set one up.");
  }
  return *std::move(a);
}

}  // namespace rt::app
