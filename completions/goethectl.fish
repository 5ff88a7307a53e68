function __goethectl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __goethectl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __goethectl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __goethectl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __goethectl_parse_tokens -S
    set -l unparsed_tokens (__goethectl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'goethectl'
        __goethectl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'topic'
            __goethectl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __goethectl_parse_subcommand 1 'index-granularity=' 'max-age=' 'max-events=' 'max-bytes=' 'if-not-exists' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'list'
                __goethectl_parse_subcommand 0 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'describe'
                __goethectl_parse_subcommand 1 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'stats'
                __goethectl_parse_subcommand 1 'from=' 'to=' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'set'
                __goethectl_parse_subcommand 1 'max-age=' 'max-events=' 'max-bytes=' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'purge'
                __goethectl_parse_subcommand 1 'before=' 'y/yes' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'delete'
                __goethectl_parse_subcommand 1 'y/yes' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            end
        case 'produce'
            __goethectl_parse_subcommand 2 'file=' 'lines' 'whole' 'expect-seq=' 'q/quiet' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
        case 'tail'
            __goethectl_parse_subcommand 1 'n/lines=' 'f/follow' 'retry' 'template=' 'D/delimiter=' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
        case 'replay'
            __goethectl_parse_subcommand 1 'from=' 'to=' 'f/follow' 'limit=' 'template=' 'D/delimiter=' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
        case 'consume'
            __goethectl_parse_subcommand 1 'consumer=' 'from=' 'f/follow' 'limit=' 'ack-wait=' 'max-deliveries=' 'max-pending=' 'dead-letter=' 'template=' 'D/delimiter=' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
        case 'cursor'
            __goethectl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __goethectl_parse_subcommand 1 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'get'
                __goethectl_parse_subcommand 2 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'set'
                __goethectl_parse_subcommand 3 'dry-run' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'delete'
                __goethectl_parse_subcommand 2 'dry-run' 'ignore-not-found' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            end
        case 'consumer'
            __goethectl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'describe'
                __goethectl_parse_subcommand 2 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'reset'
                __goethectl_parse_subcommand 3 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'parked'
                __goethectl_parse_subcommand 2 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'replay'
                __goethectl_parse_subcommand -r 3 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            end
        case 'cluster'
            __goethectl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'status'
                __goethectl_parse_subcommand 0 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            end
        case 'context'
            __goethectl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'add'
                __goethectl_parse_subcommand 1 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'use'
                __goethectl_parse_subcommand 1 'version' 'h/help'
            case 'list'
                __goethectl_parse_subcommand 0 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
            case 'remove'
                __goethectl_parse_subcommand 1 'version' 'h/help'
            end
        case 'bench'
            __goethectl_parse_subcommand 1 'c/clients=' 'n/events=' 'size=' 'batch=' 'inflight=' 'topic=' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
        case 'repl'
            __goethectl_parse_subcommand 0 'continue-on-error' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
        case 'completion'
            __goethectl_parse_subcommand 1 'version' 'h/help'
        case 'version'
            __goethectl_parse_subcommand 0 'client' 's/server=' 'o/output=' 'timeout=' 'utc' 'no-color' 'no-headers' 'v/debug' 'context=' 'tls' 'tls-ca=' 'tls-cert=' 'tls-key=' 'token=' 'token-file=' 'version' 'h/help'
        case 'help'
            __goethectl_parse_subcommand -r 1 'version'
        end
    end
end

function __goethectl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __goethectl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __goethectl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __goethectl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__goethectl_tokens -p)
    if test -z "$(__goethectl_tokens -t)"
        set -l index (count (__goethectl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'goethectl' -f
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'topic' -d 'Create, list, describe, chart, bound and delete topics.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'produce' -d 'Append events to a topic and print their ids.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'tail' -d 'Print the last events of a topic; with -f keep printing new ones.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'replay' -d 'Print the events of a topic from a position; moves no cursor.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'consume' -d 'Read a topic as a member of a named consumer, acknowledging each event once it is printed.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'cursor' -d 'List, show, set and delete consumers\' stored cursors.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'consumer' -d 'Describe and reset shared consumers, and list and replay their parked events.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'cluster' -d 'The cluster: its nodes, who leads, and how each node is.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'context' -d 'Save servers with their credentials, and pick the one to use.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'bench' -d 'Measure the server: events per second, MB/s and latency percentiles.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'repl' -d 'An interactive session: every goethectl command, with history and TAB completion.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'completion' -d 'Print the shell completion script for bash, zsh or fish.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'version' -d 'Print goethectl\'s version and the server\'s.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic" -eq 1' -fa 'create' -d 'Create a topic.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic" -eq 1' -fa 'list' -d 'List topics with their event counts.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic" -eq 1' -fa 'describe' -d 'Show a topic: counts, first and last event, consumers and their lag.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic" -eq 1' -fa 'stats' -d 'Events per time-index bucket, drawn as a bar chart.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic" -eq 1' -fa 'set' -d 'Change a topic\'s retention limits.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic" -eq 1' -fa 'purge' -d 'Remove a topic\'s events before a position.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic" -eq 1' -fa 'delete' -d 'Delete a topic with its events, cursors and time index.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" index-granularity' -l 'index-granularity' -d 'Bucket width of the topic\'s time index, 1m to 1d (default: the server\'s, 1h).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" max-age' -l 'max-age' -d 'Remove events older than this, such as 7d (s, m, h, d, w); none for no limit.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" max-events' -l 'max-events' -d 'Keep only the newest N events; none for no limit.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" max-bytes' -l 'max-bytes' -d 'Keep only the newest events whose payloads add up to at most this, such as 10GiB; none for no limit.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" if-not-exists' -l 'if-not-exists' -d 'Succeed when the topic exists already, as it is; say so instead of failing.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion topic create -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion topic list -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic describe" -eq 1' -fka '(__goethectl_custom_completion ---completion topic describe -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion topic describe -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic describe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic stats" -eq 1' -fka '(__goethectl_custom_completion ---completion topic stats -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" from' -l 'from' -d 'From this time (default: the beginning).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" to' -l 'to' -d 'Up to this time (default: now).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion topic stats -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic stats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic set" -eq 1' -fka '(__goethectl_custom_completion ---completion topic set -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" max-age' -l 'max-age' -d 'Remove events older than this, such as 7d (s, m, h, d, w); none for no limit.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" max-events' -l 'max-events' -d 'Keep only the newest N events; none for no limit.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" max-bytes' -l 'max-bytes' -d 'Keep only the newest events whose payloads add up to at most this, such as 10GiB; none for no limit.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion topic set -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic set" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic purge" -eq 1' -fka '(__goethectl_custom_completion ---completion topic purge -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" before' -l 'before' -d 'Remove the events before this: beginning, end, an event id, or a time: 2019-05-03 or "2019-05-03 14:00" (local time, or UTC with --utc), 08:15 (today), a zone after any of these ("2019-05-03 14:00 UTC", "08:15 Europe/Berlin"), 2019-05-03T14:00:00Z (RFC 3339), @1556841600 (epoch seconds), "15m ago" or -15m (s, m, h, d), now, today, yesterday. A time means the first event committed at or after it.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" y yes' -l 'yes' -s 'y' -d 'Purge without asking.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion topic purge -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic purge" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl topic delete" -eq 1' -fka '(__goethectl_custom_completion ---completion topic delete -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" y yes' -l 'yes' -s 'y' -d 'Delete without asking.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion topic delete -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl topic delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl produce" -eq 1' -fka '(__goethectl_custom_completion ---completion produce -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" file' -l 'file' -d 'Read events from this file instead of stdin (- is stdin).' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" lines' -l 'lines' -d 'One event per line (the default for stdin and --file).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" whole' -l 'whole' -d 'The whole input is one event.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" expect-seq' -l 'expect-seq' -d 'Append only if the topic\'s head sequence is N (0 for an empty topic); optimistic concurrency.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" q quiet' -s 'q' -l 'quiet' -d 'Print no ids; a terminal still gets the summary on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion produce -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl produce" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl tail" -eq 1' -fka '(__goethectl_custom_completion ---completion tail -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" lines n' -s 'n' -l 'lines' -d 'How many of the last events to print.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" f follow' -s 'f' -l 'follow' -d 'Keep printing new events until Ctrl-C.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" retry' -l 'retry' -d 'With -f, reconnect when the server goes away and go on after the last printed event.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" template' -l 'template' -d 'Print each event by this template, such as \'{time} {id} {payload}\' (fields: topic, id, seq, time, payload; \\t and \\n are read as escapes).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" D delimiter' -s 'D' -l 'delimiter' -d 'What follows each event with -o raw or --template instead of a line break, such as \'\\0\' (for xargs -0) or \'\\n--\\n\'.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion tail -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl tail" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl replay" -eq 1' -fka '(__goethectl_custom_completion ---completion replay -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" from' -l 'from' -d 'Where to start.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" to' -l 'to' -d 'Where to stop: up to this event id, or before this time.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" f follow' -s 'f' -l 'follow' -d 'Keep printing new events until Ctrl-C.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" limit' -l 'limit' -d 'Print at most this many events.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" template' -l 'template' -d 'Print each event by this template, such as \'{time} {id} {payload}\' (fields: topic, id, seq, time, payload; \\t and \\n are read as escapes).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" D delimiter' -s 'D' -l 'delimiter' -d 'What follows each event with -o raw or --template instead of a line break, such as \'\\0\' (for xargs -0) or \'\\n--\\n\'.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion replay -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl replay" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consume" -eq 1' -fka '(__goethectl_custom_completion ---completion consume -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" consumer' -l 'consumer' -d 'The consumer\'s name.' -rfka '(__goethectl_custom_completion ---completion consume -- --consumer (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" from' -l 'from' -d 'Start the consumer here instead of after its ack floor.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" f follow' -s 'f' -l 'follow' -d 'Keep printing new events until Ctrl-C.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" limit' -l 'limit' -d 'Print at most this many events.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" ack-wait' -l 'ack-wait' -d 'How long a member may hold an event unacknowledged before it goes to another member (default 30s).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" max-deliveries' -l 'max-deliveries' -d 'Deliveries after which an event is parked (0, the default, for no limit).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" max-pending' -l 'max-pending' -d 'Unacknowledged events each member may hold (default 1000).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" dead-letter' -l 'dead-letter' -d 'Copy parked events to this topic ("" for none).' -rfka '(__goethectl_custom_completion ---completion consume -- --dead-letter (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" template' -l 'template' -d 'Print each event by this template, such as \'{time} {id} {payload}\' (fields: topic, id, seq, time, payload; \\t and \\n are read as escapes).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" D delimiter' -s 'D' -l 'delimiter' -d 'What follows each event with -o raw or --template instead of a line break, such as \'\\0\' (for xargs -0) or \'\\n--\\n\'.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion consume -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consume" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor" -eq 1' -fa 'list' -d 'List cursors, of one topic or all.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor" -eq 1' -fa 'get' -d 'Show one consumer\'s cursor.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor" -eq 1' -fa 'set' -d 'Move a consumer\'s cursor; prints where it was and where it is.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor" -eq 1' -fa 'delete' -d 'Delete a consumer\'s cursor; it then starts from the beginning.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor list" -eq 1' -fka '(__goethectl_custom_completion ---completion cursor list -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion cursor list -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor get" -eq 1' -fka '(__goethectl_custom_completion ---completion cursor get -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor get" -eq 2' -fka '(__goethectl_custom_completion ---completion cursor get -- positional@1 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion cursor get -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor get" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor set" -eq 1' -fka '(__goethectl_custom_completion ---completion cursor set -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor set" -eq 2' -fka '(__goethectl_custom_completion ---completion cursor set -- positional@1 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" dry-run' -l 'dry-run' -d 'Show where the cursor would move, and change nothing.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion cursor set -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor set" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor delete" -eq 1' -fka '(__goethectl_custom_completion ---completion cursor delete -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cursor delete" -eq 2' -fka '(__goethectl_custom_completion ---completion cursor delete -- positional@1 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" dry-run' -l 'dry-run' -d 'Show the cursor that would be deleted, and change nothing.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" ignore-not-found' -l 'ignore-not-found' -d 'Succeed quietly when there is no such cursor or topic.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion cursor delete -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cursor delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer" -eq 1' -fa 'describe' -d 'Show a shared consumer: its members and what they hold, its ack floor and lag, and its counts.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer" -eq 1' -fa 'reset' -d 'Move a shared consumer\'s ack floor; its members go on after it.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer" -eq 1' -fa 'parked' -d 'List a shared consumer\'s parked events: those its deliveries ran out for.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer" -eq 1' -fa 'replay' -d 'Deliver parked events again to a shared consumer\'s members.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer describe" -eq 1' -fka '(__goethectl_custom_completion ---completion consumer describe -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer describe" -eq 2' -fka '(__goethectl_custom_completion ---completion consumer describe -- positional@1 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion consumer describe -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer describe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer reset" -eq 1' -fka '(__goethectl_custom_completion ---completion consumer reset -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer reset" -eq 2' -fka '(__goethectl_custom_completion ---completion consumer reset -- positional@1 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion consumer reset -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer reset" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer parked" -eq 1' -fka '(__goethectl_custom_completion ---completion consumer parked -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer parked" -eq 2' -fka '(__goethectl_custom_completion ---completion consumer parked -- positional@1 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion consumer parked -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer parked" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer replay" -eq 1' -fka '(__goethectl_custom_completion ---completion consumer replay -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl consumer replay" -eq 2' -fka '(__goethectl_custom_completion ---completion consumer replay -- positional@1 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion consumer replay -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl consumer replay" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl cluster" -eq 1' -fa 'status' -d 'Show every node of the cluster as the server\'s node sees it.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion cluster status -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl cluster status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl context" -eq 1' -fa 'add' -d 'Save the server and credentials given with it: --server, --tls*, --token or --token-file.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl context" -eq 1' -fa 'use' -d 'Use this context from now on.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl context" -eq 1' -fa 'list' -d 'List the contexts; the one in use is marked with *.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl context" -eq 1' -fa 'remove' -d 'Forget a context.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion context add -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl context use" -eq 1' -fka '(__goethectl_custom_completion ---completion context use -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context use" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context use" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion context list -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl context remove" -eq 1' -fka '(__goethectl_custom_completion ---completion context remove -- positional@0 (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context remove" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl context remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl bench" -eq 1' -fka 'produce append stream replay tail seek shared'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" c clients' -s 'c' -l 'clients' -d 'Concurrent clients, each on a connection of its own.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" events n' -s 'n' -l 'events' -d 'Events in all, over every client.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" size' -l 'size' -d 'Payload size of each event written, such as 100 or 1KiB.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" batch' -l 'batch' -d 'Events per append call (append: 100, stream: 1000, tail: 1).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" inflight' -l 'inflight' -d 'Requests each client keeps in flight (append: 1, stream: 16, shared: 512).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" topic' -l 'topic' -d 'The topic (default: a new one).' -rfka '(__goethectl_custom_completion ---completion bench -- --topic (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion bench -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl bench" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" continue-on-error' -l 'continue-on-error' -d 'When reading a script from stdin, go on after a failing command.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion repl -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl repl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_positional "goethectl completion" -eq 1' -fka 'zsh bash fish'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl completion" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl completion" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" client' -l 'client' -d 'Only goethectl\'s own version; do not ask the server.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" s server' -s 's' -l 'server' -d 'The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" o output' -s 'o' -l 'output' -d 'Output format: text, json (one object per line) or raw (payloads only).' -rfka 'text json raw'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" timeout' -l 'timeout' -d 'Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" utc' -l 'utc' -d 'Read and print times in UTC instead of local time.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" no-color' -l 'no-color' -d 'No colours (also when NO_COLOR is set).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" no-headers' -l 'no-headers' -d 'Tables without their header line (topic list, cursor list, ...).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" debug v' -s 'v' -l 'debug' -d 'Show each call to the server, its status and its duration on stderr.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" context' -l 'context' -d 'Use this saved server and its credentials (default: the context in use).' -rfka '(__goethectl_custom_completion ---completion version -- --context (count (__goethectl_tokens -pc)) (__goethectl_tokens -tC))'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" tls' -l 'tls' -d 'Connect with TLS, trusting the system\'s roots (implied by --tls-ca and --tls-cert).'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" tls-ca' -l 'tls-ca' -d 'Trust this PEM CA for the server\'s certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" tls-cert' -l 'tls-cert' -d 'Mutual TLS: present this PEM client certificate.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" token' -l 'token' -d 'The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.' -rfka ''
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" token-file' -l 'token-file' -d 'Read the token from this file.' -rF
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" version' -l 'version' -d 'Show the version.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl version" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'goethectl' -n '__goethectl_should_offer_completions_for_flags_or_options "goethectl help" version' -l 'version' -d 'Show the version.'