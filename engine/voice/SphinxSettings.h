#pragma once
// Decoder settings given by name for one of SphinxRecognizer's searches, kept apart from PocketSphinx's
// headers: checked against the names and types PocketSphinx knows, and put in force for as long as a search
// is being made.

#include "voice/SphinxRecognizer.h"

#include <string>
#include <vector>

struct cmd_ln_s; // PocketSphinx's configuration (cmd_ln_t)

namespace avatar::sphinxsettings {

// Throws Error(InvalidInput), naming `search` and the setting, unless every setting is one PocketSphinx
// knows and takes a number, and its value is such a number (a whole one where it takes an integer).
void checkNumeric(const SphinxRecognizer::DecoderSettings& settings, const std::string& search);

// Numeric settings (checked by checkNumeric) put into a decoder's configuration while this lives, and the
// previous values put back after: a search made meanwhile reads them as it is made (the phone loop's), the
// searches made later (the alignment's grammars, one per call) the shipped ones.
class InForce {
public:
    InForce(cmd_ln_s* config, const SphinxRecognizer::DecoderSettings& settings);
    ~InForce();
    InForce(const InForce&) = delete;
    InForce& operator=(const InForce&) = delete;

private:
    struct Previous {
        std::string name;
        bool integer = false;
        double value = 0;
    };
    cmd_ln_s* m_config;
    std::vector<Previous> m_previous;
};

} // namespace avatar::sphinxsettings
