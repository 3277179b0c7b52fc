#include "voice/SphinxSettings.h"

#include "core/Error.h"

#include <pocketsphinx.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace avatar::sphinxsettings {
namespace {

// PocketSphinx's type of the setting `name` (ARG_INTEGER, ARG_FLOATING, ...), 0 when there is none.
int typeOf(const std::string& name) {
    for (const arg_t* a = ps_args(); a->name; ++a)
        if (name == a->name)
            return a->type & ~ARG_REQUIRED;
    return 0;
}

// Whether `value` is a number (a whole one when `integer`) and nothing else.
bool numeric(const std::string& value, bool integer) {
    char* end = nullptr;
    errno = 0;
    if (integer)
        static_cast<void>(std::strtol(value.c_str(), &end, 10));
    else
        static_cast<void>(std::strtod(value.c_str(), &end));
    return !value.empty() && errno == 0 && end == value.c_str() + value.size();
}

} // namespace

void checkNumeric(const SphinxRecognizer::DecoderSettings& settings, const std::string& search) {
    for (const auto& [name, value] : settings) {
        const int type = typeOf(name);
        if ((type != ARG_INTEGER && type != ARG_FLOATING) || !numeric(value, type == ARG_INTEGER))
            throw Error(ErrorCode::InvalidInput,
                        "The " + search + "'s setting '" + name + " " + value + "' is not valid.");
    }
}

InForce::InForce(cmd_ln_s* config, const SphinxRecognizer::DecoderSettings& settings) : m_config(config) {
    for (const auto& [name, value] : settings) {
        Previous previous{name, typeOf(name) == ARG_INTEGER, 0.0};
        if (previous.integer) {
            previous.value = double(cmd_ln_int_r(config, name.c_str()));
            cmd_ln_set_int_r(config, name.c_str(), std::strtol(value.c_str(), nullptr, 10));
        } else {
            previous.value = cmd_ln_float_r(config, name.c_str());
            cmd_ln_set_float_r(config, name.c_str(), std::strtod(value.c_str(), nullptr));
        }
        m_previous.push_back(std::move(previous));
    }
}

InForce::~InForce() {
    // In reverse, so that a name given twice ends at its first previous value.
    for (auto p = m_previous.rbegin(); p != m_previous.rend(); ++p) {
        if (p->integer)
            cmd_ln_set_int_r(m_config, p->name.c_str(), std::lround(p->value));
        else
            cmd_ln_set_float_r(m_config, p->name.c_str(), p->value);
    }
}

} // namespace avatar::sphinxsettings
