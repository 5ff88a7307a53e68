#!/bin/bash

__goethectl_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__goethectl_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__goethectl_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__goethectl_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_goethectl() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __goethectl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local subcommand="${unparsed_words[0]}"
    # The last word is the one under the cursor: it may still grow into a longer name.
    ((${#unparsed_words[@]} > 1)) || subcommand=''
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    topic|produce|tail|replay|consume|cursor|consumer|cluster|context|bench|repl|completion|version|help)
        # Offer subcommand argument completions
        "_goethectl_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'topic produce tail replay consume cursor consumer cluster context bench repl completion version help' -- "${cur}"))
        ;;
    esac
}

_goethectl_topic() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __goethectl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local subcommand="${unparsed_words[0]}"
    # The last word is the one under the cursor: it may still grow into a longer name.
    ((${#unparsed_words[@]} > 1)) || subcommand=''
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|list|describe|stats|set|purge|delete)
        # Offer subcommand argument completions
        "_goethectl_topic_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create list describe stats set purge delete' -- "${cur}"))
        ;;
    esac
}

_goethectl_topic_create() {
    repeating_flags=()
    non_repeating_flags=(--if-not-exists --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(--index-granularity --max-age --max-events --max-bytes -s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--index-granularity')
        return
        ;;
    '--max-age')
        return
        ;;
    '--max-events')
        return
        ;;
    '--max-bytes')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic create -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac
}

_goethectl_topic_list() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic list -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac
}

_goethectl_topic_describe() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic describe -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic describe -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_topic_stats() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(--from --to -s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic stats -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic stats -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_topic_set() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(--max-age --max-events --max-bytes -s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--max-age')
        return
        ;;
    '--max-events')
        return
        ;;
    '--max-bytes')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic set -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic set -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_topic_purge() {
    repeating_flags=()
    non_repeating_flags=(--yes -y --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(--before -s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--before')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic purge -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic purge -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_topic_delete() {
    repeating_flags=()
    non_repeating_flags=(--yes -y --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic delete -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion topic delete -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_produce() {
    repeating_flags=()
    non_repeating_flags=(--lines --whole -q --quiet --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(--file --expect-seq -s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--file')
        __goethectl_add_completions -f
        return
        ;;
    '--expect-seq')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion produce -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion produce -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_tail() {
    repeating_flags=()
    non_repeating_flags=(-f --follow --retry --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-n --lines --template -D --delimiter -s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-n'|'--lines')
        return
        ;;
    '--template')
        return
        ;;
    '-D'|'--delimiter')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion tail -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion tail -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_replay() {
    repeating_flags=()
    non_repeating_flags=(-f --follow --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(--from --to --limit --template -D --delimiter -s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--limit')
        return
        ;;
    '--template')
        return
        ;;
    '-D'|'--delimiter')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion replay -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion replay -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_consume() {
    repeating_flags=()
    non_repeating_flags=(-f --follow --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(--consumer --from --limit --ack-wait --max-deliveries --max-pending --dead-letter --template -D --delimiter -s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--consumer')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consume -- --consumer "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--from')
        return
        ;;
    '--limit')
        return
        ;;
    '--ack-wait')
        return
        ;;
    '--max-deliveries')
        return
        ;;
    '--max-pending')
        return
        ;;
    '--dead-letter')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consume -- --dead-letter "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--template')
        return
        ;;
    '-D'|'--delimiter')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consume -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consume -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_cursor() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __goethectl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local subcommand="${unparsed_words[0]}"
    # The last word is the one under the cursor: it may still grow into a longer name.
    ((${#unparsed_words[@]} > 1)) || subcommand=''
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|get|set|delete)
        # Offer subcommand argument completions
        "_goethectl_cursor_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list get set delete' -- "${cur}"))
        ;;
    esac
}

_goethectl_cursor_list() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor list -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor list -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_cursor_get() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor get -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor get -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor get -- positional@1 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_cursor_set() {
    repeating_flags=()
    non_repeating_flags=(--dry-run --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 3

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor set -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor set -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor set -- positional@1 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_cursor_delete() {
    repeating_flags=()
    non_repeating_flags=(--dry-run --ignore-not-found --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor delete -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor delete -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cursor delete -- positional@1 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_consumer() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __goethectl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local subcommand="${unparsed_words[0]}"
    # The last word is the one under the cursor: it may still grow into a longer name.
    ((${#unparsed_words[@]} > 1)) || subcommand=''
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    describe|reset|parked|replay)
        # Offer subcommand argument completions
        "_goethectl_consumer_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'describe reset parked replay' -- "${cur}"))
        ;;
    esac
}

_goethectl_consumer_describe() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer describe -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer describe -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer describe -- positional@1 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_consumer_reset() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 3

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer reset -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer reset -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer reset -- positional@1 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_consumer_parked() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer parked -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer parked -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer parked -- positional@1 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_consumer_replay() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer replay -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer replay -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion consumer replay -- positional@1 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_cluster() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __goethectl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local subcommand="${unparsed_words[0]}"
    # The last word is the one under the cursor: it may still grow into a longer name.
    ((${#unparsed_words[@]} > 1)) || subcommand=''
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    status)
        # Offer subcommand argument completions
        "_goethectl_cluster_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'status' -- "${cur}"))
        ;;
    esac
}

_goethectl_cluster_status() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion cluster status -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac
}

_goethectl_context() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __goethectl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local subcommand="${unparsed_words[0]}"
    # The last word is the one under the cursor: it may still grow into a longer name.
    ((${#unparsed_words[@]} > 1)) || subcommand=''
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|use|list|remove)
        # Offer subcommand argument completions
        "_goethectl_context_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add use list remove' -- "${cur}"))
        ;;
    esac
}

_goethectl_context_add() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion context add -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac
}

_goethectl_context_use() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __goethectl_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion context use -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_context_list() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion context list -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac
}

_goethectl_context_remove() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __goethectl_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion context remove -- positional@0 "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_goethectl_bench() {
    repeating_flags=()
    non_repeating_flags=(--utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-c --clients -n --events --size --batch --inflight --topic -s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-c'|'--clients')
        return
        ;;
    '-n'|'--events')
        return
        ;;
    '--size')
        return
        ;;
    '--batch')
        return
        ;;
    '--inflight')
        return
        ;;
    '--topic')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion bench -- --topic "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion bench -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W 'produce'$'\n''append'$'\n''stream'$'\n''replay'$'\n''tail'$'\n''seek'$'\n''shared'
        return
        ;;
    esac
}

_goethectl_repl() {
    repeating_flags=()
    non_repeating_flags=(--continue-on-error --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion repl -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac
}

_goethectl_completion() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __goethectl_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __goethectl_add_completions -W 'zsh'$'\n''bash'$'\n''fish'
        return
        ;;
    esac
}

_goethectl_version() {
    repeating_flags=()
    non_repeating_flags=(--client --utc --no-color --no-headers -v --debug --tls --version -h --help)
    repeating_options=()
    non_repeating_options=(-s --server -o --output --timeout --context --tls-ca --tls-cert --tls-key --token --token-file)
    __goethectl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-s'|'--server')
        return
        ;;
    '-o'|'--output')
        __goethectl_add_completions -W 'text'$'\n''json'$'\n''raw'
        return
        ;;
    '--timeout')
        return
        ;;
    '--context')
        __goethectl_add_completions -W "$(__goethectl_custom_complete ---completion version -- --context "${COMP_CWORD}" "$(__goethectl_cursor_index_in_current_word)")"
        return
        ;;
    '--tls-ca')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-cert')
        __goethectl_add_completions -f
        return
        ;;
    '--tls-key')
        __goethectl_add_completions -f
        return
        ;;
    '--token')
        return
        ;;
    '--token-file')
        __goethectl_add_completions -f
        return
        ;;
    esac
}

_goethectl_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __goethectl_offer_flags_options -1
}

complete -o filenames -F _goethectl goethectl