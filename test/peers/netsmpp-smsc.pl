#!/usr/bin/perl
# An independent SMS centre for interop tests: an SMPP 3.4 server built on Net::SMPP (Debian's
# libnet-smpp-perl), written neither with nor by the npm `smpp` package our client uses. One
# process, one IO::Select loop: the message id counter, the ids it assigned, the "lost" receipts
# and the receipts waiting for a bound session survive a client's reconnects.
#
#   perl netsmpp-smsc.pl --port 0 --log smsc.jsonl [--lose-every N] [--receipt-delay-ms MS]
#        [--system-id ID] [--password PW] [--redeliver-ms MS] [--mo-file FILE] [--control-stdin]
#        [--no-query-sm]
#
# Listens on 127.0.0.1 only and prints `LISTENING <port>` on stdout once ready (--port 0: a free
# port). Stops cleanly on SIGTERM/SIGINT (unbinds bound sessions, closes everything, exit 0).
#
# Behaviour
# - bind_transceiver / bind_transmitter / bind_receiver: answered with --system-id (default
#   netsmpp-smsc) and sc_interface_version 0x34; a wrong --password (when given) gets
#   ESME_RINVPASWD, a second bind on a session ESME_RALYBND. enquire_link and unbind answered.
# - submit_sm (bound as transmitter/transceiver, else ESME_RINVBNDSTS): submit_sm_resp with a fresh
#   message id (16 lower-case hex digits). Refused: an empty destination_addr (ESME_RINVDSTADR);
#   both short_message and message_payload (ESME_RINVMSGLEN). Every accepted submit_sm (each
#   segment of a long text is one) is delivered --receipt-delay-ms after it was accepted, and when
#   it asked for a receipt (registered_delivery & 3 == 1) gets a deliver_sm receipt: esm_class
#   0x04, from its destination to its source, `id:<ID> sub:001 dlvrd:001 submit date:YYMMDDhhmm
#   done date:YYMMDDhhmm stat:DELIVRD err:000 text:` (UTC), TLVs receipted_message_id (0x001E)
#   and message_state (0x0427) = 2 — except every Nth accepted submit_sm (--lose-every N), whose
#   receipt is lost (never sent) although the message counts as delivered.
# - A receipt or inbound text goes to a bound receiver/transceiver session (the submitting one if
#   still bound); while none is bound it is held, like a real SMS centre. A deliver_sm answered
#   with a non-zero status, or outstanding when its session closes, is sent again after
#   --redeliver-ms (default 500).
# - query_sm: query_sm_resp with message_state 2 (delivered, final_date set) once the message is
#   delivered, lost receipt or not, 1 (enroute) before; an unknown id gets ESME_RINVMSGID. With
#   --no-query-sm, query_sm gets generic_nack ESME_RINVCMDID (a centre that does not offer it).
# - cancel_sm / replace_sm: their answer with ESME_RCANCELFAIL / ESME_RREPLACEFAIL. Any other
#   request: generic_nack ESME_RINVCMDID.
# - Inbound texts (a victim replying STOP): lines `FROM TO TEXT` (UTF-8) appended to --mo-file
#   (polled every 100 ms), or with --control-stdin a command on stdin. Sent as deliver_sm
#   esm_class 0: data_coding 0 with the bytes as they are when every character is one that ASCII
#   and GSM 03.38 share (letters, digits, space, !"#%&'()*+,-./:;<=>? CR LF), else UCS-2 (8);
#   over 254 bytes in message_payload.
# - --control-stdin: stdin takes commands `TOKEN COMMAND ARGS`, each answered `OK TOKEN` (or
#   `ERR TOKEN why`) on stdout: `MO FROM TO TEXT`; `DROP` (closes every connection, no unbind);
#   `UNBIND` (sends unbind to every bound session). End of stdin stops the server (so it never
#   outlives the process that started it).
#
# The log (--log FILE, JSON lines, flushed per line, each written before the answer or the PDU
# it records goes out: a client that has the answer finds the line). Every line has `t` (ms since
# the epoch), `conn` (connection number from 1, null for the server's own lines), `dir` ("in": a
# PDU received, "out": a request the server sent on its own, "event") and `type`:
#   connect {peer} / disconnect {reason} / listening {port} / stop / warning {text} /
#   mo {from, to, text, via} (an inbound text taken in, queued for sending)
#   bind_transceiver|bind_transmitter|bind_receiver {seq, system_id, password, system_type,
#     interface_version, addr_ton, addr_npi, address_range, status}
#   submit_sm {seq, service_type, source_addr_ton, source_addr_npi, source_addr, dest_addr_ton,
#     dest_addr_npi, destination_addr, esm_class, protocol_id, priority_flag,
#     schedule_delivery_time, validity_period, registered_delivery, replace_if_present_flag,
#     data_coding, sm_default_msg_id, sm_length, short_message (hex), tlvs {"020c": hex, ...}
#     (tag as 4 hex digits → value as hex), status, message_id (null when refused), submit_no
#     (nth accepted), receipt ("scheduled" | "lost" | "not-requested" | null)}
#   query_sm {seq, message_id, source_addr_ton, source_addr_npi, source_addr, status,
#     message_state (null with --no-query-sm)}
#   enquire_link / unbind / unbind_resp {seq}; generic_nack {seq, status};
#     other {seq, command_id (hex), status} (any other PDU, and the status it was answered with)
#   deliver_sm (dir "out") {seq, kind "receipt"|"mo", message_id (receipts), attempt,
#     source_addr, destination_addr, esm_class, data_coding, short_message (hex), tlvs}
#   deliver_sm_resp {seq, status, kind, message_id} (kind/message_id of the deliver_sm answered)
#
# Net::SMPP limitations met (also in test/peers/netsmpp.ts): it decodes optional
# parameters into the PDU hash under their decimal tag (and a name when it knows the tag) — order
# and repeated tags are lost, unknown tags make it warn; when sending, an optional parameter given
# by numeric tag is packed as an integer, so strings (C-octet strings need their NUL added by
# hand) must go by name; read_pdu() blocks until a whole PDU has arrived, so a peer that stalls
# mid-PDU stalls this loop; it neither encodes texts nor knows UDH.
use strict;
use warnings;
use Getopt::Long qw(GetOptions);
use IO::Select;
use IO::Handle;
use JSON::PP;
use Encode qw(decode encode);
use POSIX qw(strftime);
use Time::HiRes qw(time);
use Net::SMPP;

my %o = (
    port               => 0,
    log                => undef,
    'lose-every'       => 0,
    'receipt-delay-ms' => 0,
    'system-id'        => 'netsmpp-smsc',
    password           => undef,
    'redeliver-ms'     => 500,
    'mo-file'          => undef,
    'control-stdin'    => 0,
    'query-sm'         => 1,
);
GetOptions(\%o, 'port=i', 'log=s', 'lose-every=i', 'receipt-delay-ms=i', 'system-id=s',
    'password=s', 'redeliver-ms=i', 'mo-file=s', 'control-stdin!', 'query-sm!')
  or die "usage: $0 --port 0|N [--log FILE] [--lose-every N] [--receipt-delay-ms MS]"
  . " [--system-id ID] [--password PW] [--redeliver-ms MS] [--mo-file FILE] [--control-stdin]"
  . " [--no-query-sm]\n";
die "--system-id is at most 15 characters\n" if length $o{'system-id'} > 15;

# Command statuses (SMPP 3.4 table 5-2).
use constant {
    ROK          => 0x00,
    RINVMSGLEN   => 0x01,
    RINVCMDID    => 0x03,
    RINVBNDSTS   => 0x04,
    RALYBND      => 0x05,
    RINVDSTADR   => 0x0B,
    RINVMSGID    => 0x0C,
    RINVPASWD    => 0x0E,
    RCANCELFAIL  => 0x11,
    RREPLACEFAIL => 0x13,
};

STDOUT->autoflush(1);
my $json = JSON::PP->new->canonical->ascii;
my $logfh;
if (defined $o{log}) {
    open $logfh, '>>', $o{log} or die "cannot open $o{log}: $!\n";
    $logfh->autoflush(1);
}
my $now_ms = sub { int(time() * 1000) };
sub logj {
    my ($conn, $dir, $type, %f) = @_;
    return unless $logfh;
    print $logfh $json->encode({ t => $now_ms->(), conn => $conn, dir => $dir, type => $type, %f }), "\n";
}
$SIG{__WARN__} = sub {
    my $w = join '', @_;
    $w =~ s/\s+\z//;
    # read_pdu() warns at every end of stream; the disconnect line says so already.
    return if $w =~ /^premature eof reading from socket/;
    logj(undef, 'event', 'warning', text => $w);
};

my $stopping = 0;
$SIG{TERM} = $SIG{INT} = sub { $stopping = 1 };
$SIG{PIPE} = 'IGNORE';

my $listener = Net::SMPP->new_listen('127.0.0.1', port => $o{port}, system_id => $o{'system-id'})
  or die "cannot listen on 127.0.0.1:$o{port}: $!\n";
my $port = $listener->sockport;
my $sel = IO::Select->new($listener);

# State that outlives connections.
my $id_base = sprintf '%08x', int(rand(0xffffffff));
my $accepted = 0;     # accepted submit_sm so far
my %messages;         # message id → { submitted, done, lost }
my @queue;            # deliver_sm waiting: { due, kind, args => [...], message_id, prefer, attempt }
my %sessions;         # fileno → { sock, conn, bound, inflight => { seq → item } }
my $conn_no = 0;

my $hex = sub { unpack 'H*', $_[0] // '' };
my $tlvs = sub {
    my ($pdu) = @_;
    # Net::SMPP stores each optional parameter under its decimal tag (and a name if known).
    return { map { (sprintf('%04x', $_) => $hex->($pdu->{$_})) } grep { /^\d+$/ } keys %$pdu };
};
my $yymmddhhmm = sub { strftime('%y%m%d%H%M', gmtime($_[0])) };

logj(undef, 'event', 'listening', port => $port);
print "LISTENING $port\n";

sub close_session {
    my ($s, $reason) = @_;
    my $fd = $s->{fd};
    return unless $sessions{$fd};
    delete $sessions{$fd};
    $sel->remove($s->{sock});
    for my $seq (sort { $a <=> $b } keys %{ $s->{inflight} }) {
        my $item = $s->{inflight}{$seq};
        $item->{due} = time();
        push @queue, $item;
    }
    close $s->{sock};
    logj($s->{conn}, 'event', 'disconnect', reason => $reason);
}

sub can_receive { my ($s) = @_; $s->{bound} eq 'receiver' || $s->{bound} eq 'transceiver' }

sub send_due {
    my $t = time();
    my @later;
    for my $item (sort { $a->{due} <=> $b->{due} } @queue) {
        if ($item->{due} > $t) { push @later, $item; next }
        my @rx = sort { $a->{conn} <=> $b->{conn} } grep { can_receive($_) } values %sessions;
        my ($s) = (grep({ $_->{conn} == ($item->{prefer} // 0) } @rx), @rx);
        if (!$s) { push @later, $item; next }    # held until a session binds
        $item->{attempt}++;
        # Our own sequence numbers, so that the line is written before the PDU goes out.
        my $seq = ++$s->{seq};
        my %a = @{ $item->{args} };
        logj($s->{conn}, 'out', 'deliver_sm', seq => $seq, kind => $item->{kind},
            message_id => $item->{message_id}, attempt => $item->{attempt},
            source_addr => $a{source_addr}, destination_addr => $a{destination_addr},
            esm_class => $a{esm_class}, data_coding => $a{data_coding},
            short_message => $hex->($a{short_message}),
            tlvs => { map { exists $a{$_} ? (sprintf('%04x', $Net::SMPP::param_by_name{$_}) => $hex->($a{$_})) : () }
                  qw(receipted_message_id message_state message_payload) });
        $s->{inflight}{$seq} = $item;
        $s->{sock}->deliver_sm(@{ $item->{args} }, seq => $seq, async => 1);
    }
    @queue = @later;
}

sub queue_mo {
    my ($from, $to, $text, $via) = @_;
    $from =~ s/^\+//;
    $to =~ s/^\+//;
    my ($dc, $bytes);
    if ($text =~ /\A[A-Za-z0-9 !"#%&'()*+,\-.\/:;<=>?\r\n]*\z/) {
        ($dc, $bytes) = (0x00, $text);
    } else {
        ($dc, $bytes) = (0x08, encode('UTF-16BE', $text));
    }
    my @body = length($bytes) > 254 ? (short_message => '', message_payload => $bytes)
                                    : (short_message => $bytes);
    push @queue, {
        due  => time(),
        kind => 'mo',
        args => [
            source_addr_ton => ($from =~ /^\d+$/ ? 1 : 5), source_addr_npi => ($from =~ /^\d+$/ ? 1 : 0),
            source_addr => $from,
            dest_addr_ton => ($to =~ /^\d{3,}$/ && length($to) > 6 ? 1 : 0), dest_addr_npi => 1,
            destination_addr => $to,
            esm_class => 0x00, data_coding => $dc, @body,
        ],
    };
    logj(undef, 'event', 'mo', from => $from, to => $to, text => $text, via => $via);
}

sub on_submit {
    my ($s, $pdu) = @_;
    my $seq = $pdu->{seq};
    my %f = (
        seq => $seq,
        (map { ($_ => $pdu->{$_}) } qw(service_type source_addr destination_addr
            schedule_delivery_time validity_period)),
        (map { ($_ => 0 + ($pdu->{$_} // 0)) } qw(source_addr_ton source_addr_npi dest_addr_ton
            dest_addr_npi esm_class protocol_id priority_flag registered_delivery
            replace_if_present_flag data_coding sm_default_msg_id)),
        sm_length     => length($pdu->{short_message} // ''),
        short_message => $hex->($pdu->{short_message}),
        tlvs          => $tlvs->($pdu),
        message_id    => undef, submit_no => undef, receipt => undef,
    );
    my $status = ROK;
    if ($s->{bound} ne 'transmitter' && $s->{bound} ne 'transceiver') {
        $status = RINVBNDSTS;
    } elsif (!length($pdu->{destination_addr} // '')) {
        $status = RINVDSTADR;
    } elsif (length($pdu->{short_message} // '') && defined $pdu->{message_payload}) {
        $status = RINVMSGLEN;
    }
    if ($status != ROK) {
        logj($s->{conn}, 'in', 'submit_sm', %f, status => $status);
        $s->{sock}->submit_sm_resp(seq => $seq, status => $status, message_id => '');
        return;
    }
    my $n = ++$accepted;
    my $id = sprintf '%s%08x', $id_base, $n;
    my $t = time();
    my $done = $t + $o{'receipt-delay-ms'} / 1000;
    my $lost = $o{'lose-every'} > 0 && $n % $o{'lose-every'} == 0 ? 1 : 0;
    my $wanted = ($pdu->{registered_delivery} & 0x03) == 0x01;
    $messages{$id} = { submitted => $t, done => $done, lost => $lost };
    my $receipt = !$wanted ? 'not-requested' : $lost ? 'lost' : 'scheduled';
    logj($s->{conn}, 'in', 'submit_sm', %f, status => ROK, message_id => $id, submit_no => $n,
        receipt => $receipt);
    $s->{sock}->submit_sm_resp(seq => $seq, message_id => $id);
    return unless $receipt eq 'scheduled';
    my $text = "id:$id sub:001 dlvrd:001 submit date:" . $yymmddhhmm->($t)
      . ' done date:' . $yymmddhhmm->($done) . ' stat:DELIVRD err:000 text:';
    push @queue, {
        due        => $done,
        kind       => 'receipt',
        message_id => $id,
        prefer     => $s->{conn},
        args       => [
            source_addr_ton  => $pdu->{dest_addr_ton},   source_addr_npi => $pdu->{dest_addr_npi},
            source_addr      => $pdu->{destination_addr},
            dest_addr_ton    => $pdu->{source_addr_ton}, dest_addr_npi   => $pdu->{source_addr_npi},
            destination_addr => $pdu->{source_addr},
            esm_class => 0x04, data_coding => 0x00, short_message => $text,
            # Named, not numeric: Net::SMPP packs a numeric tag's value as an integer.
            receipted_message_id => "$id\0",
            message_state        => pack('C', 2),
        ],
    };
}

sub on_pdu {
    my ($s, $pdu) = @_;
    my $cmd = $pdu->{cmd};
    my $seq = $pdu->{seq};
    my $sock = $s->{sock};
    my %bind = (0x09 => 'transceiver', 0x02 => 'transmitter', 0x01 => 'receiver');
    if ($bind{$cmd}) {
        my $kind = $bind{$cmd};
        my $status = $s->{bound} ? RALYBND
          : defined $o{password} && $pdu->{password} ne $o{password} ? RINVPASWD : ROK;
        logj($s->{conn}, 'in', "bind_$kind", seq => $seq,
            (map { ($_ => $pdu->{$_}) } qw(system_id password system_type address_range)),
            (map { ($_ => 0 + $pdu->{$_}) } qw(interface_version addr_ton addr_npi)),
            status => $status);
        my $resp = "bind_${kind}_resp";
        $sock->$resp(seq => $seq, status => $status, system_id => $o{'system-id'},
            sc_interface_version => pack('C', 0x34));
        $s->{bound} = $kind if $status == ROK;
    } elsif ($cmd == Net::SMPP::CMD_submit_sm) {
        on_submit($s, $pdu);
    } elsif ($cmd == Net::SMPP::CMD_query_sm && !$o{'query-sm'}) {
        logj($s->{conn}, 'in', 'query_sm', seq => $seq, message_id => $pdu->{message_id},
            source_addr_ton => 0 + $pdu->{source_addr_ton}, source_addr_npi => 0 + $pdu->{source_addr_npi},
            source_addr => $pdu->{source_addr}, status => RINVCMDID, message_state => undef);
        $sock->generic_nack(seq => $seq, status => RINVCMDID);
    } elsif ($cmd == Net::SMPP::CMD_query_sm) {
        my $m = $messages{ $pdu->{message_id} };
        my ($status, $state, $final) = (RINVMSGID, 7, '');
        if ($m) {
            $status = ROK;
            if (time() >= $m->{done}) {
                ($state, $final) = (2, strftime('%y%m%d%H%M%S', gmtime($m->{done})) . '000+');
            } else {
                $state = 1;
            }
        }
        logj($s->{conn}, 'in', 'query_sm', seq => $seq, message_id => $pdu->{message_id},
            source_addr_ton => 0 + $pdu->{source_addr_ton}, source_addr_npi => 0 + $pdu->{source_addr_npi},
            source_addr => $pdu->{source_addr}, status => $status, message_state => $state);
        $sock->query_sm_resp(seq => $seq, status => $status, message_id => $pdu->{message_id},
            final_date => $final, message_state => $state, error_code => 0);
    } elsif ($cmd == Net::SMPP::CMD_enquire_link) {
        logj($s->{conn}, 'in', 'enquire_link', seq => $seq);
        $sock->enquire_link_resp(seq => $seq);
    } elsif ($cmd == Net::SMPP::CMD_unbind) {
        logj($s->{conn}, 'in', 'unbind', seq => $seq);
        $sock->unbind_resp(seq => $seq);
        $s->{bound} = '';
    } elsif ($cmd == Net::SMPP::CMD_deliver_sm_resp) {
        my $item = delete $s->{inflight}{$seq};
        logj($s->{conn}, 'in', 'deliver_sm_resp', seq => $seq, status => $pdu->{status},
            kind => $item && $item->{kind}, message_id => $item && $item->{message_id});
        if ($item && $pdu->{status} != ROK) {
            $item->{due} = time() + $o{'redeliver-ms'} / 1000;
            push @queue, $item;
        }
    } elsif ($cmd == Net::SMPP::CMD_generic_nack) {
        logj($s->{conn}, 'in', 'generic_nack', seq => $seq, status => $pdu->{status});
    } elsif ($cmd == Net::SMPP::CMD_unbind_resp) {
        logj($s->{conn}, 'in', 'unbind_resp', seq => $seq);
    } elsif ($cmd & 0x80000000) {
        logj($s->{conn}, 'in', 'other', seq => $seq, command_id => sprintf('%08x', $cmd),
            status => $pdu->{status});
    } elsif ($cmd == Net::SMPP::CMD_cancel_sm || $cmd == Net::SMPP::CMD_replace_sm) {
        # Known but not offered: their own answer, failed (a synchronous Net::SMPP client waits
        # for that and drops a generic_nack).
        my ($status, $resp) = $cmd == Net::SMPP::CMD_cancel_sm ? (RCANCELFAIL, 'cancel_sm_resp')
                                                               : (RREPLACEFAIL, 'replace_sm_resp');
        logj($s->{conn}, 'in', 'other', seq => $seq, command_id => sprintf('%08x', $cmd),
            status => $status);
        $sock->$resp(seq => $seq, status => $status);
    } else {
        logj($s->{conn}, 'in', 'other', seq => $seq, command_id => sprintf('%08x', $cmd),
            status => RINVCMDID);
        $sock->generic_nack(seq => $seq, status => RINVCMDID);
    }
}

# Inbound texts from --mo-file (complete lines only) and commands from stdin.
my ($mo_offset, $mo_partial, $mo_checked) = (0, '', 0);
sub poll_mo_file {
    return unless defined $o{'mo-file'} && time() - $mo_checked >= 0.1;
    $mo_checked = time();
    open my $fh, '<:raw', $o{'mo-file'} or return;
    seek $fh, $mo_offset, 0;
    local $/;
    my $data = <$fh> // '';
    close $fh;
    $mo_offset += length $data;
    $mo_partial .= $data;
    while ($mo_partial =~ s/\A([^\n]*)\n//) {
        my $line = decode('UTF-8', $1);
        $line =~ s/\r\z//;
        next unless $line =~ /\S/;
        my ($from, $to, $text) = $line =~ /\A\s*(\S+)\s+(\S+)\s?(.*)\z/s or next;
        queue_mo($from, $to, $text, 'mo-file');
    }
}

my $stdin_buf = '';
if ($o{'control-stdin'}) {
    $sel->add(\*STDIN);
}
sub on_command {
    my ($line) = @_;
    my ($token, $cmd, $rest) = $line =~ /\A(\S+)\s+(\S+)\s?(.*)\z/s or return;
    if ($cmd eq 'MO') {
        my ($from, $to, $text) = $rest =~ /\A(\S+)\s+(\S+)\s?(.*)\z/s
          or return print "ERR $token MO wants FROM TO TEXT\n";
        queue_mo($from, $to, $text, 'stdin');
    } elsif ($cmd eq 'DROP') {
        close_session($_, 'dropped by the SMS centre') for values %sessions;
    } elsif ($cmd eq 'UNBIND') {
        for my $s (values %sessions) {
            next unless $s->{bound};
            $s->{sock}->unbind(seq => ++$s->{seq}, async => 1);
            $s->{bound} = '';
        }
    } else {
        return print "ERR $token unknown command $cmd\n";
    }
    send_due();
    print "OK $token\n";
}
sub read_stdin {
    my $n = sysread(STDIN, my $chunk, 65536);
    if (!$n) { $stopping = 1; $sel->remove(\*STDIN); return }
    $stdin_buf .= $chunk;
    while ($stdin_buf =~ s/\A([^\n]*)\n//) {
        my $line = decode('UTF-8', $1);
        $line =~ s/\r\z//;
        on_command($line) if $line =~ /\S/;
    }
}

until ($stopping) {
    my $wait = 0.1;
    # Items already due wait only for a session to take them: no hurry while none is bound.
    my $rx = grep { can_receive($_) } values %sessions;
    for my $item (@queue) {
        my $d = $item->{due} - time();
        next if $d <= 0 && !$rx;
        $wait = $d if $d < $wait;
    }
    $wait = 0 if $wait < 0;
    for my $fh ($sel->can_read($wait)) {
        if ($fh == $listener) {
            my $sock = $listener->accept or next;
            my $conn = ++$conn_no;
            my $fd = fileno $sock;
            $sessions{$fd} = { sock => $sock, fd => $fd, conn => $conn, bound => '', seq => 0, inflight => {} };
            $sel->add($sock);
            logj($conn, 'event', 'connect', peer => $sock->peerhost . ':' . $sock->peerport);
        } elsif (fileno($fh) == 0 && $o{'control-stdin'}) {
            read_stdin();
        } else {
            my $fd = fileno $fh;    # undefined once closed (DROP) earlier in this round
            my $s = defined $fd && $sessions{$fd} or next;
            my $pdu = $s->{sock}->read_pdu;
            if (!$pdu) {
                close_session($s, ${ *{ $s->{sock} } }{smpperror} // 'read error');
                next;
            }
            on_pdu($s, $pdu);
        }
    }
    poll_mo_file();
    send_due();
}

for my $s (values %sessions) {
    $s->{sock}->unbind(seq => ++$s->{seq}, async => 1) if $s->{bound};
    close_session($s, 'the SMS centre stopped');
}
close $listener;
logj(undef, 'event', 'stop');
exit 0;
